package dev.ferry.profile;

/** What a profile finding is about; {@link #meaning()} is the text reports print beside it. */
public enum FindingKind {
  DUPLICATE_KEY("key values that occur more than once (count: key values, rows: rows carrying"
      + " them); an upsert keeps only one row per key"),
  NULL_KEY("rows with a NULL in a key column; they cannot be keyed in the target"),
  MOJIBAKE("text that looks like UTF-8 decoded as Latin-1/Windows-1252 ('CafÃ©' for 'Café');"
      + " the mapping's repairEncoding undoes it"),
  INVALID_ENCODING("text holding U+FFFD or C1 control characters: bytes that were not valid in"
      + " the column's character set, typically Latin-1 bytes in UTF-8 text"),
  ZERO_DATE("MySQL zero dates such as '0000-00-00', which no other engine stores; the read"
      + " rejects these rows unless source.zeroDates is null"),
  OUT_OF_RANGE_DATE("dates before year 1000 or after 9999, or infinite: outside what MySQL"
      + " stores and usually sentinels or typing errors"),
  UNREADABLE_VALUE("values the reader cannot represent (NaN numerics, unparseable temporals);"
      + " the backfill dead-letters these rows"),
  ZONELESS_TIMESTAMP("timestamps without a time zone (count: values); their instant depends on"
      + " the zone the application assumed, state it with the mapping's fromZone"),
  LARGE_VALUE("values longer than the large-value threshold; they slow batches and grow the"
      + " target's out-of-line storage"),
  WILL_NOT_FIT("values the target column will not take as they are: too long, out of range,"
      + " more decimals than the column keeps, NULL into NOT NULL"),
  MAPPING_REJECTS("rows the mapping rejects (a cast or a zone conversion fails)");

  private final String meaning;

  FindingKind(String meaning) {
    this.meaning = meaning;
  }

  public String meaning() {
    return meaning;
  }
}
