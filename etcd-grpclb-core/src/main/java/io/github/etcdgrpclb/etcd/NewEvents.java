package io.github.etcdgrpclb.etcd;

import java.util.List;

import io.etcd.jetcd.watch.WatchEvent;

/**
 * The events of a watch response that are newer than what was applied before: jetcd can replay the
 * last event after a reconnect, and the events of one transaction (a prefix delete, a multi-put)
 * share one revision, so they are compared with the revision applied before the response, never
 * with the event applied just before them.
 */
public final class NewEvents {

	private NewEvents() {
	}

	/** @return the events whose revision is above {@code appliedRevision}, in order */
	public static List<WatchEvent> after(long appliedRevision, List<WatchEvent> events) {
		return events.stream().filter((event) -> event.getKeyValue().getModRevision() > appliedRevision).toList();
	}

	/** @return the highest revision among the applied one and the events' */
	public static long lastRevision(long appliedRevision, List<WatchEvent> events) {
		long last = appliedRevision;
		for (WatchEvent event : events) {
			last = Math.max(last, event.getKeyValue().getModRevision());
		}
		return last;
	}

}
