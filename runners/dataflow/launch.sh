#!/usr/bin/env bash
# Build and run ferry as a Dataflow Flex Template.
#
#   runners/dataflow/launch.sh build              # image + template spec (once per ferry version)
#   runners/dataflow/launch.sh run NAME k=v ...   # launch one job from the template
#
# Settings (environment):
#   PROJECT   Google Cloud project ID (required)
#   REGION    Dataflow region, e.g. europe-west1 (required)
#   BUCKET    gs://bucket for the template spec, staging and temporary files (required)
#   REPO      Artifact Registry Docker repository, default REGION-docker.pkg.dev/PROJECT/ferry
#   TAG       image tag, default: the jar's version
#   JAR       default: runners/dataflow/target/ferry-dataflow.jar (mvn -B -q package -DskipTests)
#   DRY_RUN=1 print the gcloud commands instead of running them
#
# Parameters of `run` are the names in runners/dataflow/metadata.json (ferry's flags), e.g.
#   launch.sh run orders-backfill command=backfill job=orders \
#     sourceUrl=jdbc:mysql://10.20.0.5:3306/shop sourceUser=ferry_reader sourceTable=orders \
#     targetUrl=jdbc:postgresql://10.20.0.6:5432/shop targetUser=ferry \
#     sourcePasswordEnv=FERRY_SOURCE_PASSWORD targetPasswordEnv=FERRY_TARGET_PASSWORD
# Values containing commas are passed with gcloud's alternate delimiter automatically.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
die() { echo "launch.sh: $*" >&2; exit 2; }

: "${PROJECT:?set PROJECT to the Google Cloud project ID}"
: "${REGION:?set REGION to the Dataflow region, e.g. europe-west1}"
: "${BUCKET:?set BUCKET to a gs://bucket (template spec, staging, temp)}"
[[ $BUCKET == gs://* ]] || die "BUCKET must be a gs:// path, not $BUCKET"
BUCKET=${BUCKET%/}
REPO=${REPO:-$REGION-docker.pkg.dev/$PROJECT/ferry}
JAR=${JAR:-$here/target/ferry-dataflow.jar}
TAG=${TAG:-0.1.0-SNAPSHOT}
TEMPLATE=$BUCKET/templates/ferry-$TAG.json
MAIN_CLASS=dev.ferry.runners.dataflow.FerryDataflow

gcloud_() {
  if [[ ${DRY_RUN:-0} == 1 ]]; then
    printf '%q ' gcloud "$@"; echo
  else
    command -v gcloud >/dev/null || die "gcloud is not installed (https://cloud.google.com/sdk)"
    gcloud "$@"
  fi
}

case ${1:-} in
  build)
    [[ -f $JAR || ${DRY_RUN:-0} == 1 ]] || die "$JAR is missing: mvn -B -q package -DskipTests"
    gcloud_ dataflow flex-template build "$TEMPLATE" \
      --project="$PROJECT" \
      --image-gcr-path="$REPO/ferry:$TAG" \
      --sdk-language=JAVA \
      --flex-template-base-image=JAVA17 \
      --metadata-file="$here/metadata.json" \
      --jar="$JAR" \
      --env=FLEX_TEMPLATE_JAVA_MAIN_CLASS=$MAIN_CLASS
    ;;
  run)
    shift
    name=${1:-}
    [[ $name =~ ^[a-z]([-a-z0-9]*[a-z0-9])?$ ]] \
      || die "job name '$name': lowercase letters, digits and hyphens, starting with a letter"
    shift
    params=()
    delimiter=,
    for kv in "$@"; do
      [[ $kv == *=* ]] || die "parameter '$kv' is not name=value"
      [[ $kv == *,* ]] && delimiter='~'
      params+=("$kv")
    done
    joined=$(IFS=$delimiter; echo "${params[*]}")
    [[ $delimiter == , ]] || joined="^~^$joined"
    gcloud_ dataflow flex-template run "$name" \
      --project="$PROJECT" \
      --region="$REGION" \
      --template-file-gcs-location="$TEMPLATE" \
      --staging-location="$BUCKET/staging" \
      --temp-location="$BUCKET/temp" \
      ${joined:+--parameters="$joined"}
    ;;
  *)
    sed -n '2,20p' "$0" >&2
    exit 2
    ;;
esac
