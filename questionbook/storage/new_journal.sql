CREATE TABLE alembic_version (
	version_num VARCHAR(32) NOT NULL, 
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
)
-- next statement
CREATE TABLE entry (
	num INTEGER NOT NULL, 
	id VARCHAR(36) NOT NULL, 
	kind VARCHAR(16) NOT NULL, 
	title VARCHAR NOT NULL, 
	body VARCHAR NOT NULL, 
	status VARCHAR(16), 
	hardness INTEGER, 
	starred BOOLEAN NOT NULL, 
	outcome VARCHAR NOT NULL, 
	tags_text VARCHAR NOT NULL, 
	parent_id VARCHAR(36), 
	created_at VARCHAR(32) NOT NULL, 
	updated_at VARCHAR(32) NOT NULL, 
	deleted_at VARCHAR(32), 
	last_reviewed_at VARCHAR(32), 
	snoozed_until VARCHAR(32), reach INTEGER, seal_level INTEGER, seal_waterline INTEGER, still_mine VARCHAR DEFAULT '' NOT NULL, still_mine_at VARCHAR(32), revisit_on VARCHAR(10), 
	PRIMARY KEY (num), 
	FOREIGN KEY(parent_id) REFERENCES entry (id) ON DELETE SET NULL, 
	UNIQUE (id)
)
-- next statement
CREATE INDEX ix_entry_created_at ON entry (created_at)
-- next statement
CREATE INDEX ix_entry_hardness ON entry (hardness)
-- next statement
CREATE INDEX ix_entry_kind_created ON entry (kind, created_at)
-- next statement
CREATE INDEX ix_entry_live_created ON entry (deleted_at, created_at)
-- next statement
CREATE INDEX ix_entry_stats ON entry (deleted_at, kind, starred, hardness)
-- next statement
CREATE INDEX ix_entry_parent_id ON entry (parent_id)
-- next statement
CREATE INDEX ix_entry_status ON entry (status)
-- next statement
CREATE INDEX ix_entry_updated_at ON entry (updated_at)
-- next statement
CREATE TABLE review (
	id INTEGER NOT NULL, 
	period VARCHAR(16) NOT NULL, 
	started_at VARCHAR(32) NOT NULL, 
	finished_at VARCHAR(32), 
	waterline INTEGER, 
	reflection VARCHAR NOT NULL, 
	step VARCHAR(32) NOT NULL, 
	position INTEGER NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (period)
)
-- next statement
CREATE TABLE tag (
	id INTEGER NOT NULL, 
	name VARCHAR NOT NULL, 
	"key" VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE ("key")
)
-- next statement
CREATE TABLE waterline_mark (
	id INTEGER NOT NULL, 
	level INTEGER NOT NULL, 
	note VARCHAR NOT NULL, 
	set_at VARCHAR(32) NOT NULL, 
	PRIMARY KEY (id)
)
-- next statement
CREATE INDEX ix_waterline_mark_set_at ON waterline_mark (set_at)
-- next statement
CREATE TABLE entry_tag (
	entry_id VARCHAR(36) NOT NULL, 
	tag_id INTEGER NOT NULL, 
	inline BOOLEAN NOT NULL, 
	PRIMARY KEY (entry_id, tag_id), 
	FOREIGN KEY(entry_id) REFERENCES entry (id) ON DELETE CASCADE, 
	FOREIGN KEY(tag_id) REFERENCES tag (id) ON DELETE CASCADE
)
-- next statement
CREATE INDEX ix_entry_tag_tag_id ON entry_tag (tag_id)
-- next statement
CREATE TABLE hardness_rating (
	id INTEGER NOT NULL, 
	entry_id VARCHAR(36) NOT NULL, 
	level INTEGER, 
	source VARCHAR(16) NOT NULL, 
	rated_at VARCHAR(32) NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(entry_id) REFERENCES entry (id) ON DELETE CASCADE
)
-- next statement
CREATE INDEX ix_hardness_rating_entry_id ON hardness_rating (entry_id)
-- next statement
CREATE TABLE review_action (
	id INTEGER NOT NULL, 
	review_id INTEGER NOT NULL, 
	entry_id VARCHAR(36) NOT NULL, 
	action VARCHAR(16) NOT NULL, 
	detail VARCHAR NOT NULL, 
	acted_at VARCHAR(32) NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(entry_id) REFERENCES entry (id) ON DELETE CASCADE, 
	FOREIGN KEY(review_id) REFERENCES review (id) ON DELETE CASCADE
)
-- next statement
CREATE INDEX ix_review_action_entry_id ON review_action (entry_id)
-- next statement
CREATE INDEX ix_review_action_review_id ON review_action (review_id)
-- next statement
CREATE TABLE status_change (
	id INTEGER NOT NULL, 
	entry_id VARCHAR(36) NOT NULL, 
	status VARCHAR(16), 
	outcome VARCHAR NOT NULL, 
	changed_at VARCHAR(32) NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(entry_id) REFERENCES entry (id) ON DELETE CASCADE
)
-- next statement
CREATE INDEX ix_status_change_entry_id ON status_change (entry_id)
-- next statement
CREATE VIRTUAL TABLE entry_fts USING fts5(title, body, tags, outcome, content='', tokenize='unicode61 remove_diacritics 2')
-- next statement
CREATE TRIGGER entry_fts_insert AFTER INSERT ON entry BEGIN INSERT INTO entry_fts(rowid, title, body, tags, outcome) VALUES (new.num, qb_search_text(new.title), qb_search_text(new.body), qb_search_text(new.tags_text), qb_search_text(new.outcome)); END
-- next statement
CREATE TRIGGER entry_fts_delete AFTER DELETE ON entry BEGIN INSERT INTO entry_fts(entry_fts, rowid, title, body, tags, outcome) VALUES ('delete', old.num, qb_search_text(old.title), qb_search_text(old.body), qb_search_text(old.tags_text), qb_search_text(old.outcome)); END
-- next statement
CREATE TRIGGER entry_fts_update AFTER UPDATE OF title, body, tags_text, outcome ON entry BEGIN INSERT INTO entry_fts(entry_fts, rowid, title, body, tags, outcome) VALUES ('delete', old.num, qb_search_text(old.title), qb_search_text(old.body), qb_search_text(old.tags_text), qb_search_text(old.outcome)); INSERT INTO entry_fts(rowid, title, body, tags, outcome) VALUES (new.num, qb_search_text(new.title), qb_search_text(new.body), qb_search_text(new.tags_text), qb_search_text(new.outcome)); END
-- next statement
CREATE TABLE trial (
	id VARCHAR(36) NOT NULL, 
	entry_id VARCHAR(36) NOT NULL, 
	asked_at VARCHAR(32) NOT NULL, 
	model VARCHAR NOT NULL, 
	prompt VARCHAR NOT NULL, 
	answer VARCHAR NOT NULL, 
	verdict VARCHAR(16) NOT NULL, 
	note VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(entry_id) REFERENCES entry (id) ON DELETE CASCADE
)
-- next statement
CREATE INDEX ix_trial_entry_id ON trial (entry_id)
-- next statement
CREATE TABLE attachment_blob (
	sha256 VARCHAR(64) NOT NULL, 
	size INTEGER NOT NULL, 
	mime VARCHAR(128) NOT NULL, 
	data BLOB NOT NULL, 
	created_at VARCHAR(32) NOT NULL, 
	PRIMARY KEY (sha256)
)
-- next statement
CREATE TABLE entry_attachment (
	entry_id VARCHAR(36) NOT NULL, 
	sha256 VARCHAR(64) NOT NULL, 
	name VARCHAR(255) NOT NULL, 
	inline BOOLEAN NOT NULL, 
	added_at VARCHAR(32) NOT NULL, 
	PRIMARY KEY (entry_id, sha256), 
	FOREIGN KEY(entry_id) REFERENCES entry (id) ON DELETE CASCADE, 
	FOREIGN KEY(sha256) REFERENCES attachment_blob (sha256)
)
-- next statement
CREATE INDEX ix_entry_attachment_sha256 ON entry_attachment (sha256)
-- next statement
CREATE TABLE entry_link (
	source_id VARCHAR(36) NOT NULL, 
	target_id VARCHAR(36) NOT NULL, 
	PRIMARY KEY (source_id, target_id), 
	FOREIGN KEY(source_id) REFERENCES entry (id) ON DELETE CASCADE
)
-- next statement
CREATE INDEX ix_entry_link_target_id ON entry_link (target_id)
-- next statement
CREATE INDEX ix_entry_revisit_on ON entry (revisit_on)
-- next statement
CREATE TABLE entry_template (
	id VARCHAR(36) NOT NULL, 
	kind VARCHAR(16) NOT NULL, 
	name VARCHAR NOT NULL, 
	body VARCHAR NOT NULL, 
	builtin VARCHAR(64) NOT NULL, 
	hidden BOOLEAN NOT NULL, 
	position INTEGER NOT NULL, 
	created_at VARCHAR(32) NOT NULL, 
	updated_at VARCHAR(32) NOT NULL, 
	PRIMARY KEY (id)
)
-- next statement
CREATE TABLE prompt (
	id VARCHAR(36) NOT NULL, 
	text VARCHAR NOT NULL, 
	created_at VARCHAR(32) NOT NULL, 
	PRIMARY KEY (id)
)
-- next statement
CREATE TABLE prompt_shown (
	day VARCHAR(10) NOT NULL, 
	prompt VARCHAR(64) NOT NULL, 
	shown_at VARCHAR(32) NOT NULL, 
	PRIMARY KEY (day)
)
-- next statement
CREATE TABLE conflict_copy (
	id VARCHAR(32) NOT NULL, 
	entry_id VARCHAR(36), 
	table_name VARCHAR(64) NOT NULL, 
	row_key VARCHAR NOT NULL, 
	field_name VARCHAR(64) NOT NULL, 
	value VARCHAR NOT NULL, 
	lost_at VARCHAR(32) NOT NULL, 
	lost_device VARCHAR(32) NOT NULL, 
	resolved_at VARCHAR(32), 
	PRIMARY KEY (id), 
	FOREIGN KEY(entry_id) REFERENCES entry (id) ON DELETE CASCADE
)
-- next statement
CREATE INDEX ix_conflict_copy_entry_id ON conflict_copy (entry_id)
-- next statement
CREATE TABLE journal_setting (
	"key" VARCHAR(64) NOT NULL, 
	value VARCHAR NOT NULL, 
	PRIMARY KEY ("key")
)
-- next statement
CREATE TABLE sync_state (
	"key" VARCHAR(64) NOT NULL, 
	value VARCHAR NOT NULL, 
	PRIMARY KEY ("key")
)
-- next statement
CREATE TABLE sync_peer (
	device VARCHAR(32) NOT NULL, 
	applied_seq INTEGER NOT NULL, 
	known_hlc INTEGER NOT NULL, 
	name VARCHAR NOT NULL, 
	last_seen VARCHAR(32), 
	PRIMARY KEY (device)
)
-- next statement
CREATE TABLE sync_version (
	tbl VARCHAR(64) NOT NULL, 
	"key" VARCHAR NOT NULL, 
	versions VARCHAR NOT NULL, 
	PRIMARY KEY (tbl, "key")
)
-- next statement
CREATE TABLE sync_outbox (
	id INTEGER NOT NULL, 
	tbl VARCHAR(64) NOT NULL, 
	"key" VARCHAR NOT NULL, 
	op VARCHAR(1) NOT NULL, 
	fields VARCHAR, 
	at INTEGER NOT NULL, 
	PRIMARY KEY (id)
)
-- next statement
CREATE TABLE sync_unsent (
	seq INTEGER NOT NULL, 
	data BLOB NOT NULL, 
	PRIMARY KEY (seq)
)
-- next statement
CREATE TABLE sync_applied (
	device VARCHAR(32) NOT NULL, 
	seq INTEGER NOT NULL, 
	digest VARCHAR(64) NOT NULL, 
	PRIMARY KEY (device, seq, digest)
)
-- next statement
CREATE TABLE sync_quiet (
	flag INTEGER NOT NULL, 
	PRIMARY KEY (flag)
)
-- next statement
PRAGMA application_id = 1363307313
-- next statement
PRAGMA user_version = 0
-- next statement
INSERT INTO alembic_version (version_num) VALUES ('0006')
