// The verified claims (claims.ts) of a RunSQL statement, for the hover: which row of the table describes what
// PostgreSQL does when it runs the statement, with its tables. A statement without a verified row gets none.
import type { ClaimId, ClaimTables } from './claims';
import type { AlterTableCommand, SqlAction } from './sql-classify';
import { sqlColumnType, typeChange, verifiedWidening, type ColumnType } from './column-types';

export interface StatementClaim {
  id: ClaimId;
  tables: ClaimTables;
}

/** The old type of a column, when the caller knows the project state (sql-tables.ts columnTypeBefore). */
export type OldColumnType = (table: string, column: string) => ColumnType | undefined;

/**
 * What `ALTER COLUMN … TYPE` does to a column whose old type is `from` (when the state knows it): its verified row,
 * and whether it only touches the catalog (a widening a PostgreSQL test verifies, or the same type; never with
 * `USING`, whose expression may change every value). One decision for the hover's claim and MG107's finding.
 */
export function alterColumnTypeClaim(from: ColumnType | undefined, command: { newType: string; using: boolean }): { id: ClaimId; catalogOnly: boolean } {
  const to = sqlColumnType(command.newType);
  const known = from && to && !command.using ? { from, to } : undefined;
  const widening = known && verifiedWidening(known.from, known.to);
  if (widening) return { id: widening, catalogOnly: true };
  const shorter = from?.base === 'varchar' && to?.base === 'varchar' && typeChange(from, to) === 'rewrite';
  return { id: shorter ? 'AlterField.varcharShorter' : 'AlterField.type', catalogOnly: !!known && typeChange(known.from, known.to) === 'none' };
}

function commandClaim(command: AlterTableCommand, table: string, oldType?: OldColumnType): { id: ClaimId; referenced?: string } | undefined {
  switch (command.kind) {
    case 'add-column':
      if (command.generated === 'stored') return { id: 'RunSQL.addColumnGeneratedStored' };
      if (command.serial) return { id: 'RunSQL.addColumnSerial' };
      if (command.default?.volatility === 'volatile') return { id: 'AddField.volatileDbDefault' };
      if (command.references) return { id: command.default ? 'AddField.foreignKeyWithDefault' : 'AddField.foreignKeyNoIndex', referenced: command.references.key };
      if (command.unique) return { id: 'AddField.unique' };
      if (command.default) return { id: 'AddField.constantDbDefault' };
      return command.notNull ? undefined : { id: 'AddField.nullable' };
    case 'drop-column':
      return { id: 'RemoveField' };
    case 'set-not-null':
      return { id: 'AlterField.setNotNull' };
    case 'drop-not-null':
      return { id: 'AlterField.dropNotNull' };
    case 'alter-column-type':
      return { id: alterColumnTypeClaim(oldType?.(table, command.column), command).id };
    case 'validate-constraint':
      return { id: 'ValidateConstraint' };
    case 'drop-constraint':
      return { id: 'RemoveConstraint' };
    case 'set-logged':
      return { id: 'RunSQL.setLogged' };
    case 'set-unlogged':
      return { id: 'RunSQL.setUnlogged' };
    case 'add-constraint': {
      const { type, notValid, usingIndex, references } = command.constraint;
      if (type === 'check') return { id: notValid ? 'AddConstraintNotValid' : 'AddConstraint.check' };
      // A foreign key added NOT VALID locks both tables in SHARE ROW EXCLUSIVE, without a scan (its own row).
      if (type === 'foreign-key') return { id: notValid ? 'RunSQL.addForeignKeyNotValid' : 'AlterField.foreignKeyConstraint', referenced: references?.key };
      if (usingIndex) return type === 'unique' ? { id: 'RunSQL.addUniqueUsingIndex' } : undefined;
      if (type === 'unique') return { id: 'AddConstraint.unique' };
      if (type === 'primary-key') return { id: 'RunSQL.addPrimaryKey' };
      if (type === 'exclusion') return { id: 'AddConstraint.exclusion' };
      return undefined;
    }
    default:
      return undefined;
  }
}

/** The verified row of `LOCK TABLE … IN <mode> MODE`; none for the modes without one (they block neither reads nor writes). */
export function lockTableClaim(mode: string): ClaimId | undefined {
  const ids: Record<string, ClaimId> = {
    'ACCESS EXCLUSIVE': 'RunSQL.lockTable', EXCLUSIVE: 'RunSQL.lockTableExclusive',
    'SHARE ROW EXCLUSIVE': 'RunSQL.lockTableShareRowExclusive', SHARE: 'RunSQL.lockTableShare',
  };
  return ids[mode];
}

/** The claims of one statement, in the order PostgreSQL runs its parts; [] when none is verified. */
export function statementClaims(action: SqlAction, oldType?: OldColumnType): StatementClaim[] {
  switch (action.kind) {
    case 'create-index': {
      const id: ClaimId = action.concurrently ? 'AddIndexConcurrently' : action.unique ? (action.partial ? 'AddConstraint.uniqueCondition' : 'AddConstraint.uniqueIndex') : 'AddIndex';
      return [{ id, tables: { table: action.table.key } }];
    }
    case 'drop-index':
      return [{ id: action.concurrently ? 'RemoveIndexConcurrently' : 'RemoveIndex', tables: {} }];
    case 'alter-table':
      return action.commands.flatMap((command) => {
        const found = commandClaim(command, action.table.key, oldType);
        return found ? [{ id: found.id, tables: { table: action.table.key, referenced: found.referenced } }] : [];
      });
    case 'rename-column':
      return [{ id: 'RenameField', tables: { table: action.table.key } }];
    case 'rename-table':
      return [{ id: 'RenameModel', tables: { table: action.table.key } }];
    case 'drop-table':
      return action.tables.map((table) => ({ id: 'DeleteModel' as const, tables: { table: table.key } }));
    case 'cluster':
      return action.table ? [{ id: 'RunSQL.cluster', tables: { table: action.table.key } }] : [];
    case 'lock-table': {
      const id = lockTableClaim(action.mode);
      return id ? action.tables.map((table) => ({ id, tables: { table: table.key } })) : [];
    }
    case 'reindex':
      // REINDEX INDEX / TABLE (the table of an index is the caller's to find); not CONCURRENTLY, SCHEMA, DATABASE.
      if (action.concurrently || (action.target !== 'index' && action.target !== 'table')) return [];
      return [{ id: 'RunSQL.reindex', tables: action.target === 'table' && action.name ? { table: action.name } : {} }];
    case 'vacuum':
      return action.full ? action.tables.map((table) => ({ id: 'RunSQL.vacuumFull' as const, tables: { table: table.key } })) : [];
    case 'update':
      return [{ id: 'DataMigration.update', tables: { table: action.table.key } }];
    default:
      return [];
  }
}
