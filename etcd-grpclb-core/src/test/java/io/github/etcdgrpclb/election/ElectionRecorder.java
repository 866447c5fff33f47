package io.github.etcdgrpclb.election;

import java.util.ArrayList;
import java.util.List;

/** Records every candidate's grants and revocations in one timeline, as they happen. */
final class ElectionRecorder {

	/** One event: which candidate, granted or revoked, when ({@link System#nanoTime()}). */
	record Event(String candidate, boolean granted, long token, long nanos) {
	}

	private final List<Event> events = new ArrayList<>();

	LeadershipListener listenerFor(String candidate) {
		return new LeadershipListener() {

			@Override
			public void granted(LeadershipTerm term) {
				add(new Event(candidate, true, term.token(), System.nanoTime()));
			}

			@Override
			public void revoked(LeadershipTerm term, String reason) {
				add(new Event(candidate, false, term.token(), System.nanoTime()));
			}

		};
	}

	private synchronized void add(Event event) {
		this.events.add(event);
	}

	synchronized List<Event> events() {
		return List.copyOf(this.events);
	}

	synchronized List<Event> grants() {
		return this.events.stream().filter(Event::granted).toList();
	}

	/** @return how many candidates held a term at the same time, at most, by the timeline */
	synchronized int mostLeadersAtOnce() {
		int leading = 0;
		int most = 0;
		for (Event event : this.events) {
			leading += event.granted() ? 1 : -1;
			most = Math.max(most, leading);
		}
		return most;
	}

}
