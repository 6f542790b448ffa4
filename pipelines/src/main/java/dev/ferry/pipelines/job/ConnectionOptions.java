package dev.ferry.pipelines.job;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The flags that say where both sides are and how to log in, declared once for every job (as
 * spotify/dbeam's base options): a job's options extend this interface and add only their own.
 * Passwords are never flags: name an environment variable or a file instead, so they stay out
 * of shell histories, process lists and Airflow's rendered commands.
 */
public interface ConnectionOptions extends PipelineOptions {
  @Description("Source URL: JDBC (jdbc:postgresql:, jdbc:mysql:, jdbc:mariadb:) or MongoDB"
      + " (mongodb://host:27017/database). ferry plan and migrate: the MySQL / MariaDB database,"
      + " jdbc:mysql://host:3306/shop.")
  String getSourceUrl();

  void setSourceUrl(String value);

  @Description("Source user; reading (SELECT) is all ferry needs on the source.")
  String getSourceUser();

  void setSourceUser(String value);

  @Description("Environment variable that holds the source password.")
  String getSourcePasswordEnv();

  void setSourcePasswordEnv(String value);

  @Description("File that holds the source password.")
  String getSourcePasswordFile();

  void setSourcePasswordFile(String value);

  @Description("Target URL: JDBC or MongoDB (mongodb://host:27017/database). ferry plan and"
      + " migrate: the PostgreSQL database, jdbc:postgresql://host:5432/shop.")
  String getTargetUrl();

  void setTargetUrl(String value);

  @Description("Target user; ferry migrate needs it to create tables (and the schema, with"
      + " --targetSchema).")
  String getTargetUser();

  void setTargetUser(String value);

  @Description("Environment variable that holds the target password.")
  String getTargetPasswordEnv();

  void setTargetPasswordEnv(String value);

  @Description("File that holds the target password.")
  String getTargetPasswordFile();

  void setTargetPasswordFile(String value);
}
