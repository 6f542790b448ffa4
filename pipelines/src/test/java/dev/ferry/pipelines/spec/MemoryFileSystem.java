package dev.ferry.pipelines.spec;

import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.io.FileSystem;
import org.apache.beam.sdk.io.FileSystemRegistrar;
import org.apache.beam.sdk.io.fs.CreateOptions;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * A Beam filesystem for {@code mem://} URIs that keeps files in this JVM's memory: a scheme that
 * is not the local one, registered the way gs:// is (a {@link FileSystemRegistrar} service), for
 * tests of code that must write through {@link org.apache.beam.sdk.io.FileSystems}.
 */
public final class MemoryFileSystem extends FileSystem<MemoryFileSystem.Id> {
  static final String SCHEME = "mem";
  private static final Map<String, byte[]> FILES = new ConcurrentHashMap<>();

  /** What was written to {@code uri}; null if nothing was. */
  public static byte[] read(String uri) {
    return FILES.get(uri);
  }

  /** Registers the mem scheme with Beam (found through META-INF/services). */
  public static final class Registrar implements FileSystemRegistrar {
    @Override
    public Iterable<FileSystem<?>> fromOptions(PipelineOptions options) {
      return List.of(new MemoryFileSystem());
    }
  }

  /** A mem:// file or directory; directories end with a slash. */
  static final class Id implements ResourceId {
    private final String uri;

    Id(String uri) {
      this.uri = uri;
    }

    @Override
    public ResourceId resolve(String other, ResolveOptions options) {
      String dir = uri.endsWith("/") ? uri : uri + "/";
      return new Id(dir + other
          + (options == ResolveOptions.StandardResolveOptions.RESOLVE_DIRECTORY ? "/" : ""));
    }

    @Override
    public ResourceId getCurrentDirectory() {
      return isDirectory() ? this : new Id(uri.substring(0, uri.lastIndexOf('/') + 1));
    }

    @Override
    public String getScheme() {
      return SCHEME;
    }

    @Override
    public String getFilename() {
      String name = uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
      return name.substring(name.lastIndexOf('/') + 1);
    }

    @Override
    public boolean isDirectory() {
      return uri.endsWith("/");
    }

    @Override
    public String toString() {
      return uri;
    }
  }

  @Override
  protected List<MatchResult> match(List<String> specs) {
    List<MatchResult> out = new ArrayList<>();
    for (String spec : specs) {
      byte[] data = FILES.get(spec);
      out.add(data == null ? MatchResult.create(MatchResult.Status.NOT_FOUND,
          new FileNotFoundException(spec))
          : MatchResult.create(MatchResult.Status.OK, List.of(MatchResult.Metadata.builder()
              .setResourceId(new Id(spec)).setSizeBytes(data.length).setIsReadSeekEfficient(false)
              .setLastModifiedMillis(0L).build())));
    }
    return out;
  }

  @Override
  protected WritableByteChannel create(Id id, CreateOptions options) {
    // Like an object store: the file appears, complete, when the channel is closed.
    return Channels.newChannel(new ByteArrayOutputStream() {
      @Override
      public void close() {
        FILES.put(id.uri, toByteArray());
      }
    });
  }

  @Override
  protected ReadableByteChannel open(Id id) throws IOException {
    byte[] data = FILES.get(id.uri);
    if (data == null) {
      throw new FileNotFoundException(id.uri);
    }
    return Channels.newChannel(new java.io.ByteArrayInputStream(data));
  }

  @Override
  protected void copy(List<Id> from, List<Id> to) throws IOException {
    for (int i = 0; i < from.size(); i++) {
      byte[] data = FILES.get(from.get(i).uri);
      if (data == null) {
        throw new FileNotFoundException(from.get(i).uri);
      }
      FILES.put(to.get(i).uri, data);
    }
  }

  @Override
  protected void rename(List<Id> from, List<Id> to, MoveOptions... options) throws IOException {
    copy(from, to);
    delete(from);
  }

  @Override
  protected void delete(Collection<Id> ids) {
    ids.forEach(id -> FILES.remove(id.uri));
  }

  @Override
  protected Id matchNewResource(String spec, boolean isDirectory) {
    return new Id(isDirectory && !spec.endsWith("/") ? spec + "/" : spec);
  }

  @Override
  protected String getScheme() {
    return SCHEME;
  }
}
