package dev.ferry.schema;

/** What kind of difference between the source and the generated PostgreSQL schema a warning is. */
public enum WarningKind {
  /** A zero date default ({@code '0000-00-00'}) was dropped: zero dates load as NULL. */
  ZERO_DATE_DEFAULT,
  /** NOT NULL was dropped because zero dates in the column load as NULL. */
  NOT_NULL_DROPPED,
  /** {@code ON UPDATE CURRENT_TIMESTAMP} has no PostgreSQL equivalent. */
  ON_UPDATE_CURRENT_TIMESTAMP,
  /** A default expression could not be translated and was dropped. */
  DEFAULT_DROPPED,
  /** The type mapping loses range, precision or meaning (the rule's {@code report} text). */
  LOSSY_TYPE,
  /** ZEROFILL display padding is not kept. */
  ZEROFILL,
  /** The data is re-encoded from a non-UTF-8 character set. */
  CHARSET,
  /** A generated column becomes a plain column holding the copied values. */
  GENERATED_COLUMN,
  /** AUTO_INCREMENT could not become an identity because the target type is not an integer. */
  IDENTITY_SKIPPED,
  /** An index (or primary key) uses column prefixes, which PostgreSQL does not have. */
  PREFIX_INDEX,
  /** An index was not created (FULLTEXT, SPATIAL or functional). */
  INDEX_SKIPPED,
  /** A CHECK constraint was not created because MySQL does not enforce it (NOT ENFORCED). */
  CHECK_SKIPPED,
  /** A foreign key was not created. */
  FOREIGN_KEY_SKIPPED,
  /** Tables reference each other in a cycle, so no parent-first load order exists for them. */
  LOAD_ORDER_CYCLE,
  /** A name is longer than PostgreSQL's 63 bytes and was shortened. */
  IDENTIFIER_TOO_LONG,
  /** A table or column name is a PostgreSQL reserved word, so queries must quote it. */
  RESERVED_WORD
}
