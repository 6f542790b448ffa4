package dev.ferry.read;

import org.apache.beam.sdk.transforms.splittabledofn.RestrictionTracker;
import org.apache.beam.sdk.transforms.splittabledofn.SplitResult;

/**
 * Tracks the chunks a {@link ReadRangeFn} call has emitted. Chunks are claimed one by one in
 * sequence; the only split it grants is a checkpoint after the last claimed chunk (the primary
 * ends there, the residual continues after its key).
 */
final class ReadPositionTracker extends RestrictionTracker<ReadPosition, ReadPosition.Claim> {
  private ReadPosition restriction;
  private long seq;
  private String afterKey;
  private boolean finished;

  ReadPositionTracker(ReadPosition restriction) {
    this.restriction = restriction;
    this.seq = restriction.startSeq;
    this.afterKey = restriction.startAfterKey;
  }

  @Override
  public boolean tryClaim(ReadPosition.Claim claim) {
    if (finished) {
      throw new IllegalStateException("claimed " + claim + " after the last chunk");
    }
    if (claim.seq != seq + 1) {
      throw new IllegalArgumentException("claimed " + claim + " after chunk " + seq);
    }
    if (claim.seq > restriction.endSeq) {
      return false;
    }
    seq = claim.seq;
    if (claim.lastKey != null) {
      afterKey = claim.lastKey;
    }
    finished = claim.last;
    return true;
  }

  @Override
  public ReadPosition currentRestriction() {
    return restriction;
  }

  @Override
  public SplitResult<ReadPosition> trySplit(double fractionOfRemainder) {
    if (fractionOfRemainder != 0 || finished || !restriction.splittable
        || restriction.endSeq != ReadPosition.OPEN) {
      return null;
    }
    ReadPosition primary = new ReadPosition(restriction.startSeq, restriction.startAfterKey, seq,
        true);
    ReadPosition residual = new ReadPosition(seq, afterKey, ReadPosition.OPEN, true);
    restriction = primary;
    return SplitResult.of(primary, residual);
  }

  @Override
  public void checkDone() throws IllegalStateException {
    if (finished || restriction.endSeq != ReadPosition.OPEN && seq >= restriction.endSeq) {
      return;
    }
    throw new IllegalStateException("the read of " + restriction + " stopped after chunk " + seq);
  }

  @Override
  public IsBounded isBounded() {
    return IsBounded.BOUNDED;
  }
}
