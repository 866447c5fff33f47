package io.github.etcdgrpclb.election;

import static io.github.etcdgrpclb.etcd.EtcdBytes.text;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.watch.WatchEvent;

/**
 * The candidates of one election as etcd holds them at a revision, kept by a prefix watch's lists and
 * events: each key with its create revision and value. The leader is the key created first, as in
 * Go's {@code concurrency.Election}. Confined to the election's context.
 */
final class CandidateQueue {

	/** One queued key. */
	record Candidate(String key, String id, long createRevision) {
	}

	private final Map<String, Candidate> byKey = new HashMap<>();

	private long revision;

	/** Replaces everything with a full list taken at {@code atRevision}. */
	void replace(List<KeyValue> kvs, long atRevision) {
		this.byKey.clear();
		kvs.forEach(this::add);
		this.revision = atRevision;
	}

	/** Applies a watch response's new events, which bring the queue to {@code atRevision}. */
	void apply(List<WatchEvent> events, long atRevision) {
		for (WatchEvent event : events) {
			if (event.getEventType() == WatchEvent.EventType.DELETE) {
				this.byKey.remove(text(event.getKeyValue().getKey()));
			}
			else {
				add(event.getKeyValue());
			}
		}
		this.revision = atRevision;
	}

	/** @return the revision of etcd the queue reflects */
	long revision() {
		return this.revision;
	}

	/** @return whether the key is queued */
	boolean contains(String key) {
		return this.byKey.containsKey(key);
	}

	/** @return the candidate whose key was created first, or null when nobody is queued */
	Candidate leader() {
		Candidate first = null;
		for (Candidate candidate : this.byKey.values()) {
			if (first == null || candidate.createRevision() < first.createRevision()) {
				first = candidate;
			}
		}
		return first;
	}

	private void add(KeyValue kv) {
		String key = text(kv.getKey());
		this.byKey.put(key, new Candidate(key, text(kv.getValue()), kv.getCreateRevision()));
	}

}
