// Every rule, sorted by code. An explicit list: esbuild cannot discover files at run time.
import { addIndexBlocking } from './mg101-add-index-blocking';
import { removeIndexBlocking } from './mg102-remove-index-blocking';
import { addUniqueBlocking } from './mg103-add-unique-blocking';
import { addCheckConstraintValidating } from './mg104-add-check-constraint-validating';
import { addForeignKeyValidating } from './mg105-add-foreign-key-validating';
import { setNotNull } from './mg106-set-not-null';
import { alterColumnType } from './mg107-alter-column-type';
import { volatileDbDefault } from './mg108-volatile-db-default';
import { concurrentlyInAtomic } from './mg109-concurrently-in-atomic';
import { migrationNoLockTimeout } from './mg110-migration-no-lock-timeout';
import { longOperationUnderStatementTimeout } from './mg111-long-operation-under-statement-timeout';
import { validateInSameTransaction } from './mg112-validate-in-same-transaction';
import { exclusionConstraint } from './mg113-exclusion-constraint';
import { sqlWholeTableLock } from './mg114-sql-whole-table-lock';
import { addNotNullField } from './mg201-add-not-null-field';
import { removeField } from './mg202-remove-field';
import { deleteModel } from './mg203-delete-model';
import { renameField } from './mg204-rename-field';
import { renameModel } from './mg205-rename-model';
import { setNotNullOldCode } from './mg206-set-not-null-old-code';
import { runPythonNoReverse } from './mg301-runpython-no-reverse';
import { runSqlNoReverse } from './mg302-runsql-no-reverse';
import { runPythonModelImport } from './mg303-runpython-model-import';
import { runPythonBadSignature } from './mg304-runpython-bad-signature';
import { schemaAndDataTogether } from './mg305-schema-and-data-together';
import { unbatchedBackfill } from './mg306-unbatched-backfill';
import { sqlSyntaxError } from './mg401-sql-syntax-error';
import { sqlUnboundedDml } from './mg402-sql-unbounded-dml';
import { sqlDestructive } from './mg403-sql-destructive';
import { conflictingLeaves } from './mg501-conflicting-leaves';
import { missingDependency } from './mg502-missing-dependency';
import { duplicateNumber } from './mg503-duplicate-number';
import { noStatementTimeout } from './mg601-no-statement-timeout';
import { noLockTimeout } from './mg602-no-lock-timeout';
import { noConnectTimeout } from './mg603-no-connect-timeout';
import { mysqlNoTimeouts } from './mg604-mysql-no-timeouts';
import { timeoutDisabled } from './mg605-timeout-disabled';
import { persistentConnNoHealthCheck } from './mg606-persistent-conn-no-health-check';
import { debugTrue } from './mg701-debug-true';
import { hardcodedSecretKey } from './mg702-hardcoded-secret-key';
import { allowedHostsWildcard } from './mg703-allowed-hosts-wildcard';
import { insecureCookies } from './mg704-insecure-cookies';
import { noHttpsRedirectOrHsts } from './mg705-no-https-redirect-or-hsts';
import { unusedNoqa } from './mg900-unused-noqa';
import type { Rule } from './types';

export const ALL_RULES: readonly Rule[] = [
  addIndexBlocking,
  removeIndexBlocking,
  addUniqueBlocking,
  addCheckConstraintValidating,
  addForeignKeyValidating,
  setNotNull,
  alterColumnType,
  volatileDbDefault,
  concurrentlyInAtomic,
  migrationNoLockTimeout,
  longOperationUnderStatementTimeout,
  validateInSameTransaction,
  exclusionConstraint,
  sqlWholeTableLock,
  addNotNullField,
  removeField,
  deleteModel,
  renameField,
  renameModel,
  setNotNullOldCode,
  runPythonNoReverse,
  runSqlNoReverse,
  runPythonModelImport,
  runPythonBadSignature,
  schemaAndDataTogether,
  unbatchedBackfill,
  sqlSyntaxError,
  sqlUnboundedDml,
  sqlDestructive,
  conflictingLeaves,
  missingDependency,
  duplicateNumber,
  noStatementTimeout,
  noLockTimeout,
  noConnectTimeout,
  mysqlNoTimeouts,
  timeoutDisabled,
  persistentConnNoHealthCheck,
  debugTrue,
  hardcodedSecretKey,
  allowedHostsWildcard,
  insecureCookies,
  noHttpsRedirectOrHsts,
  unusedNoqa,
];

export function findRule(code: string): Rule | undefined {
  const wanted = code.toUpperCase();
  return ALL_RULES.find((rule) => rule.code === wanted || rule.name === code.toLowerCase());
}
