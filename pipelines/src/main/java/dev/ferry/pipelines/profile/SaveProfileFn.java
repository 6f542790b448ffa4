package dev.ferry.pipelines.profile;

import dev.ferry.profile.SerializedCoder;
import dev.ferry.profile.TableProfile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Hands the one profile a pipeline computes back to the launcher through a file that both can
 * reach (local, or the runner's temp location on a cluster), because a launcher cannot read a
 * PCollection's contents on any runner.
 */
final class SaveProfileFn extends DoFn<TableProfile, Void> {
  private static final SerializedCoder<TableProfile> CODER =
      SerializedCoder.of(TableProfile.class);

  private final String path;

  SaveProfileFn(String path) {
    this.path = path;
  }

  @ProcessElement
  public void process(@Element TableProfile profile) throws IOException {
    try (WritableByteChannel channel = FileSystems.create(
            FileSystems.matchNewResource(path, false), "application/octet-stream");
        OutputStream out = Channels.newOutputStream(channel)) {
      CODER.encode(profile, out);
    }
  }

  /** Reads what {@link #process} wrote. */
  static TableProfile load(String path) throws IOException {
    try (InputStream in = Channels.newInputStream(FileSystems.open(
        FileSystems.matchSingleFileSpec(path).resourceId()))) {
      return CODER.decode(in);
    }
  }
}
