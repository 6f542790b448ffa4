package dev.ferry.pipelines.job;

import dev.ferry.mongo.CollectionTarget;
import dev.ferry.write.TargetTable;
import java.util.List;

/** Where a job writes: a JDBC table or a MongoDB collection, exactly one of them. */
public sealed interface JobTarget {
  /** The columns (fields) a write is keyed by. */
  List<String> key();

  /** The name for logs, step names and errors. */
  String name();

  /** A JDBC target table, described and lined up with the rows' columns. */
  record Table(TargetTable table) implements JobTarget {
    @Override
    public List<String> key() {
      return table.keyColumns();
    }

    @Override
    public String name() {
      return table.displayName();
    }
  }

  /** A MongoDB target collection. */
  record Collection(CollectionTarget collection) implements JobTarget {
    @Override
    public List<String> key() {
      return collection.key();
    }

    @Override
    public String name() {
      return collection.collectionName();
    }
  }
}
