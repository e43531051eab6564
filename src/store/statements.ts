import type Database from 'better-sqlite3';

/**
 * Prepared statements, compiled once per SQL text. Preparing is cheap next to an fsync, but the journal runs on a
 * Raspberry Pi for months, so the hot paths should not recompile SQL per message.
 */
export function statementCache(db: Database.Database): (sql: string) => Database.Statement {
  const cache = new Map<string, Database.Statement>();
  return (sql) => {
    let statement = cache.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      cache.set(sql, statement);
    }
    return statement;
  };
}
