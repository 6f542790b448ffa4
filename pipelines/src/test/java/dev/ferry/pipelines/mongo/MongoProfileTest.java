package dev.ferry.pipelines.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.MongoClient;
import dev.ferry.mongo.MongoEndpoint;
import dev.ferry.pipelines.job.ExitCodes;
import dev.ferry.pipelines.profile.ProfileOptions;
import dev.ferry.pipelines.profile.ProfilePipeline;
import dev.ferry.pipelines.profile.ProfileReport;
import dev.ferry.pipelines.spec.Secrets;
import dev.ferry.profile.ColumnProfile;
import dev.ferry.testing.EmbeddedMongo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** The profile job on a collection: columns from the documents' fields and given paths. */
class MongoProfileTest {

  @Test
  void profilesFieldsAndNestedPaths() throws Exception {
    String url = EmbeddedMongo.newDatabaseUrl();
    try (MongoClient client = new MongoEndpoint(url, null, null).connect()) {
      List<Document> docs = new ArrayList<>();
      for (long i = 1; i <= 300; i++) {
        docs.add(new Document("_id", i).append("email", i % 10 == 0 ? null : "u" + i % 50)
            .append("address", new Document("city", "C" + i % 7)));
      }
      MongoBackfillTest.database(client, url).getCollection("users").insertMany(docs);
    }
    PipelineOptionsFactory.register(ProfileOptions.class);
    ProfileOptions options = PipelineOptionsFactory.fromArgs("--job=profile-users",
        "--sourceUrl=" + url, "--sourceCollection=users",
        "--sourceFields=_id,email,address.city", "--partitions=3").withValidation()
        .as(ProfileOptions.class);
    ProfileReport report = ProfilePipeline.run(options, new Secrets(Map.of()));
    assertEquals(ExitCodes.OK, report.exitCode, report.error);
    assertEquals(300, report.profile.rowsRead);
    ColumnProfile email = report.profile.column("email");
    assertEquals(30, email.nulls);
    assertEquals(45, email.distinct, 2, "u1..u49 but not the multiples of 10 (estimated)");
    ColumnProfile city = report.profile.column("address.city");
    assertEquals(0, city.nulls);
    assertEquals(7, city.distinct, 1);
    assertTrue(report.notes.toString().contains("_id is unique"), report.notes.toString());
  }
}
