package dev.ferry.pipelines.migrate;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.util.common.ReflectHelpers;

/**
 * An independent copy of the migration's options for one table's job: runner flags come along,
 * and setting the table's flags neither changes the caller's options nor leaks into the next
 * table's job (tables run at the same time).
 */
final class OptionsCopy {
  /** Beam's own (de)serialization of options, as runners use it to ship them to workers. */
  private static final ObjectMapper OPTIONS_JSON = new ObjectMapper()
      .registerModules(ObjectMapper.findModules(ReflectHelpers.findClassLoader()));

  private OptionsCopy() {}

  static PipelineOptions of(PipelineOptions options) {
    try {
      return OPTIONS_JSON.readValue(OPTIONS_JSON.writeValueAsBytes(options),
          PipelineOptions.class);
    } catch (IOException e) {
      throw new IllegalStateException("cannot copy the pipeline options", e);
    }
  }
}
