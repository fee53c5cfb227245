#!/bin/bash
# dataline/kafka: a single-node KRaft broker (broker and controller in one process), formatted on its first start.
# KAFKA_PORT (9092) is the client listener, advertised as KAFKA_ADVERTISED_HOST (localhost) so that clients reach it
# where the container's port is published (with --network host: 127.0.0.1); KAFKA_CONTROLLER_PORT (9093);
# KAFKA_LISTEN_HOST (0.0.0.0; with --network host: 127.0.0.1). Prints "dataline-kafka: ready" once clients can connect.
set -euo pipefail
port="${KAFKA_PORT:-9092}"
controller="${KAFKA_CONTROLLER_PORT:-9093}"
listen="${KAFKA_LISTEN_HOST:-0.0.0.0}"
advertised="${KAFKA_ADVERTISED_HOST:-localhost}"
dir=/var/lib/kafka
mkdir -p "$dir"
cat >"$dir/server.properties" <<PROPERTIES
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller
listeners=PLAINTEXT://$listen:$port,CONTROLLER://$listen:$controller
advertised.listeners=PLAINTEXT://$advertised:$port
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=$dir/logs
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
PROPERTIES
java=(java -Xmx"${KAFKA_HEAP:-512m}" -Djava.util.logging.config.file=/opt/kafka/logging.properties -cp '/opt/kafka/libs/*')
if [[ ! -f "$dir/logs/meta.properties" ]]; then
  "${java[@]}" kafka.tools.StorageTool format -t "${KAFKA_CLUSTER_ID:-ZGF0YWxpbmUtbG9jYWwtMQ}" -c "$dir/server.properties" >/dev/null
fi
( for _ in $(seq 1 600); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "dataline-kafka: ready on $advertised:$port"; exit 0; fi
    sleep 0.2
  done ) &
exec "${java[@]}" kafka.Kafka "$dir/server.properties"
