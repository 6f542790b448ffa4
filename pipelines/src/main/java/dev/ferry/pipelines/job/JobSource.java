package dev.ferry.pipelines.job;

import dev.ferry.mongo.CollectionSource;
import dev.ferry.plan.SourceRelation;
import java.util.List;

/**
 * What a job reads: a JDBC relation (a table or a query) or a MongoDB collection, exactly one
 * of them; code that needs one kind matches on the type instead of testing for nulls.
 */
public sealed interface JobSource {
  /** The columns that identify a record, in key order. */
  List<String> keyColumns();

  /** The name for logs, step names and errors. */
  String name();

  /** A JDBC source: a table or a query, and its key. */
  record Relation(SourceRelation relation) implements JobSource {
    @Override
    public List<String> keyColumns() {
      return relation.keyColumns();
    }

    @Override
    public String name() {
      return relation.displayName();
    }

    @Override
    public String toString() {
      return relation.toString();
    }
  }

  /** A MongoDB source, described (its fields sampled or given). */
  record Collection(CollectionSource collection) implements JobSource {
    @Override
    public List<String> keyColumns() {
      return List.of(collection.key());
    }

    @Override
    public String name() {
      return collection.collectionName();
    }

    @Override
    public String toString() {
      return collection.toString();
    }
  }
}
