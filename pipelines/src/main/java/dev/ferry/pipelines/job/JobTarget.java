package dev.ferry.pipelines.job;

import dev.ferry.mongo.CollectionTarget;
import dev.ferry.write.TargetTable;
import java.util.List;

/** Where a job writes: a JDBC table or a MongoDB collection, exactly one of them. */
public sealed interface JobTarget {
  /** A JDBC target table, described and lined up with the rows' columns. */
  record Table(TargetTable table) implements JobTarget {}

  /** A MongoDB target collection. */
  record Collection(CollectionTarget collection) implements JobTarget {}

  /** The columns (fields) a write is keyed by. */
  default List<String> key() {
    return this instanceof Table t ? t.table().keyColumns()
        : ((Collection) this).collection().key();
  }

  /** The name for logs, step names and errors. */
  default String name() {
    return this instanceof Table t ? t.table().displayName()
        : ((Collection) this).collection().collectionName();
  }
}
