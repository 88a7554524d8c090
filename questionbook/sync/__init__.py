"""Sync through a folder that Syncthing, Nextcloud, Dropbox (or a USB stick) replicates.

Each journal writes only its own append-only change files into ``devices/<device-id>/`` of the
folder and reads the others'. Everything here is driven by the table declarations
(:mod:`questionbook.core.schema`, each with a :class:`~questionbook.core.columns.Sync` policy):
a new table syncs by declaring its policy. Qt-free, standard library only.

- :mod:`.hlc` — the hybrid logical clock and field versions;
- :mod:`.plan` — per table, the SQL sync needs (natural keys, references by natural key);
- :mod:`.capture` — the triggers that record local changes (installed only while enabled);
- :mod:`.records`, :mod:`.fileformat`, :mod:`.codecs` — changes and the files that carry them;
- :mod:`.folder` — reading and writing the folder, defensively;
- :mod:`.bookkeeping` — this journal's device id, counters, peers and field versions;
- :mod:`.export` — local changes → versioned change files;
- :mod:`.merge`, :mod:`.derive` — remote changes → the journal, and what is re-derived after;
- :mod:`.snapshot` — whole-journal snapshots for joining and compaction;
- :mod:`.identity` — a restored or copied journal takes a new device id;
- :mod:`.engine` — one sync: send, receive in causal order, report;
- :mod:`.service` — what the command line and the app call.

``docs/sync.md`` explains the design and how to set it up.
"""
