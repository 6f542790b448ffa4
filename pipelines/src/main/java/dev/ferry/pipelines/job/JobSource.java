package dev.ferry.pipelines.job;

import dev.ferry.mongo.CollectionSource;
import dev.ferry.plan.SourceRelation;
import java.util.List;

/**
 * What a job reads: a JDBC relation (a table or a query) or a MongoDB collection, exactly one
 * of them; code that needs one kind matches on the type instead of testing for nulls.
 */
public sealed interface JobSource {
  /** A JDBC source: a table or a query, and its key. */
  record Relation(SourceRelation relation) implements JobSource {}

  /** A MongoDB source, described (its fields sampled or given). */
  record Collection(CollectionSource collection) implements JobSource {}

  /** The columns that identify a record, in key order. */
  default List<String> keyColumns() {
    return this instanceof Relation r ? r.relation().keyColumns()
        : List.of(((Collection) this).collection().key());
  }

  /** The name for logs, step names and errors. */
  default String name() {
    return this instanceof Relation r ? r.relation().displayName()
        : ((Collection) this).collection().collectionName();
  }

  /** What is read, for a job's fingerprint: the relation or the collection with its key. */
  default String describe() {
    return this instanceof Relation r ? r.relation().toString()
        : ((Collection) this).collection().toString();
  }
}
