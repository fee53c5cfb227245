#!/bin/bash
# usage: rowcost.sh <checkout>: a stack from the checkout (idle), a scratch database with four chunk-like tables of
# 210,000 rows (bytea, uuid and bigint primary keys, and none), then RowCost.java's variants twice, alternated
here=$(cd "$(dirname "$0")" && pwd)
export DATALINE_HOME=/tmp/rowcost-home DATALINE_PORT_BASE=20100 DATALINE_KAFKA_PORT=20190 DATALINE_POSTGRES_PORT=20191
rm -rf $DATALINE_HOME; cd $1 && ./dataline up > /dev/null 2>&1
P="psql -h 127.0.0.1 -p 20191 -U postgres"
$P -d postgres -c "create database scratch" > /dev/null
$P -d scratch -q <<'SQL'
create table kb (hash bytea primary key, level smallint not null, data bytea);
create table ku (hash uuid primary key, level smallint not null, data bytea);
create table k8 (hash bigint primary key, level smallint not null, data bytea);
create table kn (hash bytea, level smallint not null, data bytea);
insert into kb select decode(md5(i::text)||md5((i+7)::text),'hex'), 0, decode(repeat(md5(i::text),45),'hex') from generate_series(1,210000) i;
insert into ku select md5(i::text)::uuid, 0, decode(repeat(md5(i::text),45),'hex') from generate_series(1,210000) i;
insert into k8 select ('x'||left(md5(i::text),16))::bit(64)::bigint, 0, decode(repeat(md5(i::text),45),'hex') from generate_series(1,210000) i;
insert into kn select decode(md5(i::text)||md5((i+7)::text),'hex'), 0, decode(repeat(md5(i::text),45),'hex') from generate_series(1,210000) i;
vacuum analyze;
checkpoint;
SQL
J="java -cp $(ls ~/.m2/repository/org/postgresql/postgresql/*/postgresql-*.jar | tail -1) $here/RowCost.java"
for round in 1 2; do
  $J kb bytea plain 33 1400; $J kb bytea nothing 33 1400; $J ku uuid plain 33 1400; $J k8 long plain 33 1400
  $J kn bytea plain 33 1400; $J kb bytea copy 33 1400; $J kn bytea copy 33 1400
  for size in 16 700 1400 2800; do $J kn bytea copy 43 $size; done
done
./dataline down > /dev/null 2>&1; rm -rf $DATALINE_HOME
