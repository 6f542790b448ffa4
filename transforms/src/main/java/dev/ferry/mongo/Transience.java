package dev.ferry.mongo;

import com.mongodb.MongoException;
import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;

/**
 * Which MongoDB errors are worth a retry: the server unreachable, restarting or stepping down.
 * Everything else (no permission, an invalid query) stops the step with its message.
 */
final class Transience {
  private Transience() {}

  static boolean isTransient(MongoException e) {
    return e instanceof MongoSocketException || e instanceof MongoTimeoutException
        || e instanceof MongoNotPrimaryException || e instanceof MongoNodeIsRecoveringException
        || e.hasErrorLabel(MongoException.TRANSIENT_TRANSACTION_ERROR_LABEL)
        || e.hasErrorLabel("RetryableWriteError");
  }
}
