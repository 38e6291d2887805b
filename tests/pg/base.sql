-- The database every case starts from (a fresh copy each time).
-- t: the big table, 200,000 rows; parent: what t.parent_id refers to;
-- nopk: a table without a primary key; events: a partitioned table.
CREATE TYPE mood AS ENUM ('sad', 'ok');
CREATE TABLE parent (id bigint PRIMARY KEY, label text);
INSERT INTO parent SELECT g, 'p' || g FROM generate_series(1, 1000) g;
CREATE TABLE t (
  id bigint PRIMARY KEY,
  parent_id bigint NOT NULL,
  name varchar(50),
  email varchar(50),
  n integer,
  note text,
  mood mood,
  amount numeric(10, 2)
);
INSERT INTO t
  SELECT g, 1 + g % 1000, 'name' || g, 'e' || g || '@x.org', g, NULL, 'ok', g / 100.0
  FROM generate_series(1, 200000) g;
CREATE INDEX t_name_idx ON t (name);
CREATE TABLE nopk (id bigint NOT NULL, label text);
INSERT INTO nopk SELECT g, 'l' || g FROM generate_series(1, 50000) g;
CREATE TABLE events (id bigint NOT NULL, day date NOT NULL) PARTITION BY RANGE (day);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
INSERT INTO events SELECT g, date '2024-01-01' + (g % 700) FROM generate_series(1, 20000) g;
CREATE TABLE alembic_version (version_num varchar(32) NOT NULL PRIMARY KEY);
