package dev.ferry.schema;

import java.util.EnumSet;
import java.util.Set;

/** Works out the {@link ConversionNeed}s of a column from its source and target types. */
final class ConversionNeeds {
  private static final Set<String> ZERO_DATE_TYPES = Set.of("date", "datetime", "timestamp");
  private static final Set<String> GEOMETRY_TYPES =
      Set.of(
          "geometry",
          "point",
          "linestring",
          "polygon",
          "multipoint",
          "multilinestring",
          "multipolygon",
          "geometrycollection",
          "geomcollection");

  private ConversionNeeds() {}

  static Set<ConversionNeed> of(ColumnDef source, PostgresType target, boolean enumType) {
    String type = source.dataType();
    EnumSet<ConversionNeed> needs = EnumSet.noneOf(ConversionNeed.class);
    if (ZERO_DATE_TYPES.contains(type)) {
      needs.add(ConversionNeed.ZERO_DATES_TO_NULL);
    }
    if ((type.equals("datetime") && target.is("timestamptz"))
        || (type.equals("timestamp") && target.is("timestamp"))) {
      needs.add(ConversionNeed.SOURCE_ZONE);
    }
    if (target.is("boolean")) {
      needs.add(ConversionNeed.TO_BOOLEAN);
    }
    if (type.equals("bit") && target.is("bit", "varbit")) {
      needs.add(ConversionNeed.BIT_STRING);
    }
    if (type.equals("bigint") && source.unsigned()) {
      needs.add(ConversionNeed.UNSIGNED_BIGINT);
    }
    if (type.equals("enum")) {
      needs.add(ConversionNeed.ENUM);
    }
    if (type.equals("set") && target.array()) {
      needs.add(ConversionNeed.SET_TO_ARRAY);
    }
    if (enumType || target.is("json", "jsonb", "uuid", "inet", "cidr", "macaddr")) {
      needs.add(ConversionNeed.CAST_FROM_TEXT);
    }
    if (GEOMETRY_TYPES.contains(type)) {
      needs.add(target.isTextual() ? ConversionNeed.GEOMETRY_WKT : ConversionNeed.GEOMETRY_WKB);
    }
    if (type.equals("year")) {
      needs.add(ConversionNeed.YEAR_AS_NUMBER);
    }
    if (type.equals("time") && target.is("time", "timetz")) {
      needs.add(ConversionNeed.TIME_OF_DAY);
    }
    return needs;
  }
}
