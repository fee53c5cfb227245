#!/usr/bin/env bash
# Builds Dataline's local container images from Debian packages and Maven artifacts only (no registry is needed):
#
#   dataline/postgres:15                      Debian bookworm's PostgreSQL 15 (the official image's environment:
#                                             POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB; PGPORT, LISTEN_ADDRESSES)
#   dataline/kafka:4.1.2                      a single-node KRaft broker (Kafka's jars from Maven Central; KAFKA_PORT,
#                                             KAFKA_CONTROLLER_PORT, KAFKA_ADVERTISED_HOST, KAFKA_LISTEN_HOST)
#   dataline/<service>:<project version>     dataset-service, validation-service, training-orchestrator, deploy-service
#                                             (their Quarkus fast-jar on Debian's OpenJDK 17 JRE)
#
# Usage: deploy/containers/build-images.sh [--only infra|services] (the services need `./mvnw package` first).
# Root file systems come from one debootstrap and are cached by recipe under DATALINE_IMAGE_CACHE
# (~/.cache/dataline/images); an image is rebuilt only when what goes into it changed (its dataline.content label).
# Needs podman (or docker: DATALINE_CONTAINER_CLI=docker), debootstrap, and root for the chroot.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

cli="${DATALINE_CONTAINER_CLI:-podman}"
cache="${DATALINE_IMAGE_CACHE:-$HOME/.cache/dataline/images}"
mirror="${DATALINE_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
suite=bookworm
only="${2:-all}"
[[ "${1:-}" == "--only" ]] || only=all
mkdir -p "$cache"
here=deploy/containers

log() { printf '== %s\n' "$*" >&2; }

sha() { sha256sum | cut -c1-16; }

# The Debian base every image starts from: debootstrap minbase, cached as a tarball named by the hash of its recipe.
base_rootfs() {
  local tarball; tarball="$cache/base-$(printf '%s %s' "$suite" "$mirror" | sha).tar"
  if [[ ! -s "$tarball" ]]; then
    log "root file system base ($suite from $mirror)"
    local dir; dir="$(mktemp -d "$cache/base.XXXXXX")"
    debootstrap --variant=minbase --include=ca-certificates "$suite" "$dir/root" "$mirror" >"$dir/debootstrap.log" 2>&1 \
      || { cat "$dir/debootstrap.log" >&2; exit 1; }
    chroot "$dir/root" /bin/sh -c 'apt-get clean && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin'
    tar -C "$dir/root" -cf "$tarball.partial" . && mv "$tarball.partial" "$tarball"
    rm -rf "$dir"
  fi
  printf '%s\n' "$tarball"
}

# A root file system: the base plus Debian packages, cached as a tarball named by the hash of its recipe.
rootfs() { # name packages...
  local name="$1"; shift
  local base; base="$(base_rootfs)"
  local tarball; tarball="$cache/$name-$( (basename "$base"; printf '%s' "$*") | sha).tar"
  if [[ ! -s "$tarball" ]]; then
    log "root file system $name ($*)"
    local dir; dir="$(mktemp -d "$cache/$name.XXXXXX")"
    mkdir "$dir/root" && tar -C "$dir/root" -xf "$base"
    chroot "$dir/root" /bin/sh -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $* >/dev/null"
    chroot "$dir/root" /bin/sh -c 'apt-get clean && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin'
    tar -C "$dir/root" -cf "$tarball.partial" . && mv "$tarball.partial" "$tarball"
    rm -rf "$dir"
  fi
  printf '%s\n' "$tarball"
}

content_of() { "$cli" image inspect --format '{{ index .Config.Labels "dataline.content" }}' "$1" 2>/dev/null || true; }

# An image: a cached root file system with files added on top, imported with its instructions (CMD, ENTRYPOINT, ENV),
# skipped when unchanged.
image() { # tag rootfs-tarball overlay-dir content-key instructions...
  local tag="$1" tarball="$2" overlay="$3" key="$4"; shift 4
  key="$(printf '%s %s' "$key" "$*" | sha)"
  if [[ "$(content_of "$tag")" == "$key" ]]; then
    log "$tag is up to date"
    return
  fi
  log "image $tag"
  local work; work="$(mktemp -d)"
  mkdir -p "$work/root" && tar -C "$work/root" -xf "$tarball" && cp -a "$overlay/." "$work/root/"
  local changes=(--change "LABEL dataline.content=$key")
  for instruction in "$@"; do changes+=(--change "$instruction"); done
  tar -C "$work/root" -c . | "$cli" import "${changes[@]}" - "$tag" >/dev/null
  rm -rf "$work"
}

# Debian's JRE (its /usr/bin/java alternative is not set up in a chroot without /proc): on the PATH of the images.
jre_path=/usr/lib/jvm/java-17-openjdk-amd64/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

tree_key() { # files... -> a hash of their names and contents
  find "$@" -type f -print0 | sort -z | xargs -0 sha256sum | sha
}

if [[ "$only" != services ]]; then
  pg_root="$(rootfs postgres postgresql)"
  overlay="$(mktemp -d)"; mkdir -p "$overlay/usr/local/bin" && cp "$here/postgres-entrypoint.sh" "$overlay/usr/local/bin/dataline-postgres"
  image dataline/postgres:15 "$pg_root" "$overlay" "$( (basename "$pg_root"; cat "$here/postgres-entrypoint.sh") | sha)" \
    'ENTRYPOINT ["/usr/local/bin/dataline-postgres"]' 'CMD ["postgres"]' 'EXPOSE 5432'
  rm -rf "$overlay"

  jre_root="$(rootfs jre openjdk-17-jre-headless)"
  overlay="$(mktemp -d)"; mkdir -p "$overlay/opt/kafka/libs" "$overlay/usr/local/bin"
  ./mvnw -q org.apache.maven.plugins:maven-dependency-plugin:3.11.0:build-classpath -pl local-infra -Dmdep.includeScope=runtime \
    -Dmdep.outputFile="$overlay/classpath" >/dev/null
  tr ':' '\n' <"$overlay/classpath" | grep -Ev '/(embedded-postgres|postgresql-|junit|opentest4j|apiguardian|jspecify)[^/]*$' \
    | while read -r jar; do cp "$jar" "$overlay/opt/kafka/libs/"; done
  rm "$overlay/classpath"
  # the broker's log: SLF4J to java.util.logging, warnings and errors on the container's output
  ./mvnw -q -N org.apache.maven.plugins:maven-dependency-plugin:3.11.0:copy -Dartifact=org.slf4j:slf4j-jdk14:2.0.17 \
    -DoutputDirectory="$overlay/opt/kafka/libs" >/dev/null
  printf '%s\n' 'handlers=java.util.logging.ConsoleHandler' '.level=WARNING' 'java.util.logging.ConsoleHandler.level=WARNING' \
    >"$overlay/opt/kafka/logging.properties"
  cp "$here/kafka-entrypoint.sh" "$overlay/usr/local/bin/dataline-kafka"
  image dataline/kafka:4.1.2 "$jre_root" "$overlay" "$( (basename "$jre_root"; tree_key "$overlay") | sha)" 'CMD ["/usr/local/bin/dataline-kafka"]' "ENV PATH=$jre_path" 'EXPOSE 9092'
  rm -rf "$overlay"
fi

if [[ "$only" != infra ]]; then
  jre_root="$(rootfs jre openjdk-17-jre-headless)"
  version="$(sed -n 's|^  <version>\(.*\)</version>|\1|p' pom.xml | head -1)"
  for service in dataset-service validation-service training-orchestrator deploy-service; do
    app="$service/target/quarkus-app"
    [[ -f "$app/quarkus-run.jar" ]] || { echo "$app/quarkus-run.jar is missing: run ./mvnw package -DskipTests first" >&2; exit 1; }
    overlay="$(mktemp -d)"; mkdir -p "$overlay/app" && cp -a "$app/." "$overlay/app/"
    if [[ "$service" == training-orchestrator ]]; then cp -a training-orchestrator/examples "$overlay/app/examples"; fi
    image "dataline/$service:$version" "$jre_root" "$overlay" "$( (basename "$jre_root"; tree_key "$overlay") | sha)" \
      'CMD ["java", "-XX:MaxRAMPercentage=50", "-jar", "/app/quarkus-run.jar"]' 'ENV DATALINE_EXAMPLES_DIR=/app/examples' \
      "ENV PATH=$jre_path" 'EXPOSE 8080'
    rm -rf "$overlay"
  done
fi
log "images: $("$cli" images --format '{{.Repository}}:{{.Tag}}' | grep dataline/ | sort | tr '\n' ' ')"
