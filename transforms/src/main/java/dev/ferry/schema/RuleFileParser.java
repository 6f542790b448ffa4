package dev.ferry.schema;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Reads a YAML type-mapping rules file; unknown keys are errors, so typos do not go unnoticed. */
final class RuleFileParser {
  private static final ObjectMapper YAML =
      YAMLMapper.builder()
          .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private RuleFileParser() {}

  record RuleFile(Boolean replaceDefaults, List<RuleEntry> rules) {}

  record RuleEntry(String name, WhenEntry when, String to, String report) {}

  record WhenEntry(
      List<String> type,
      String columnType,
      Boolean unsigned,
      Boolean autoIncrement,
      String table,
      String column) {}

  static TypeMappingRules parse(InputStream yaml) {
    RuleFile file;
    try {
      file = YAML.readValue(yaml, RuleFile.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read type-mapping rules: " + e.getMessage(), e);
    }
    if (file == null || file.rules() == null || file.rules().isEmpty()) {
      throw new IllegalArgumentException("the type-mapping rules file has no rules");
    }
    List<TypeRule> rules = new ArrayList<>();
    for (int i = 0; i < file.rules().size(); i++) {
      rules.add(rule(i + 1, file.rules().get(i)));
    }
    return new TypeMappingRules(rules, Boolean.TRUE.equals(file.replaceDefaults()));
  }

  private static TypeRule rule(int position, RuleEntry entry) {
    String name = entry.name() != null ? entry.name() : "#" + position + " (to " + entry.to() + ")";
    WhenEntry when =
        entry.when() != null ? entry.when() : new WhenEntry(null, null, null, null, null, null);
    return new TypeRule(
        name,
        new RuleCondition(
            when.type() == null ? Set.of() : Set.copyOf(when.type()),
            Optional.ofNullable(when.columnType()).map(p -> pattern(name, p)),
            Optional.ofNullable(when.unsigned()),
            Optional.ofNullable(when.autoIncrement()),
            Optional.ofNullable(when.table()),
            Optional.ofNullable(when.column())),
        entry.to(),
        Optional.ofNullable(entry.report()));
  }

  private static Pattern pattern(String rule, String regex) {
    try {
      return Pattern.compile(regex, Pattern.CASE_INSENSITIVE);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "rule '" + rule + "': invalid columnType pattern: " + e.getMessage(), e);
    }
  }
}
