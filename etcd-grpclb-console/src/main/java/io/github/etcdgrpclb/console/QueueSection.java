package io.github.etcdgrpclb.console;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Leaders or locks: both are etcd's queue layout ({@code <prefix>/<name>/<lease-hex>}, first by create
 * revision holds it, the rest wait in that order), as Go's {@code concurrency.Election} and
 * {@code Mutex}, the starter and the Go tutorial write them. Per name: the holder, its token (the create
 * revision: a lock's fencing token, an election term's), and the queue behind it.
 */
final class QueueSection implements Consumer<Map<String, LivePrefix.Entry>> {

	private final LiveSections sections;

	private final String id;

	private final String prefix;

	private final boolean election;

	/**
	 * @param id {@code leaders} (an election's keys hold the candidate ids) or {@code locks} (a lock's hold
	 * nothing: its holder is named by its lease)
	 * @param prefix the prefix with its trailing slash
	 */
	QueueSection(LiveSections sections, String id, String prefix) {
		this.sections = sections;
		this.id = id;
		this.prefix = prefix;
		this.election = id.equals("leaders");
	}

	@Override
	public void accept(Map<String, LivePrefix.Entry> keys) {
		List<Queue> queues = queues(keys);
		this.sections.update(this.id, queues, html(queues));
	}

	List<Queue> queues(Map<String, LivePrefix.Entry> keys) {
		Map<String, List<LivePrefix.Entry>> byName = new TreeMap<>();
		keys.values().forEach((entry) -> {
			int slash = entry.key().lastIndexOf('/');
			if (slash > this.prefix.length()) {
				byName.computeIfAbsent(entry.key().substring(this.prefix.length(), slash), (name) -> new ArrayList<>())
					.add(entry);
			}
		});
		List<Queue> queues = new ArrayList<>();
		byName.forEach((name, entries) -> {
			entries.sort(Comparator.comparingLong(LivePrefix.Entry::createRevision));
			List<String> members = entries.stream().map(this::member).toList();
			queues.add(new Queue(name, members.get(0), entries.get(0).createRevision(), members.subList(1, members.size())));
		});
		return queues;
	}

	/** @return who an entry is: a candidate's id, or a lock holder's lease (what Go's Mutex writes) */
	private String member(LivePrefix.Entry entry) {
		String lease = entry.key().substring(entry.key().lastIndexOf('/') + 1);
		return (this.election && !entry.value().isEmpty()) ? entry.value() : "lease " + lease;
	}

	private String html(List<Queue> queues) {
		if (queues.isEmpty()) {
			return Html.empty(this.election ? "No election under " + this.prefix : "No lock is held under " + this.prefix);
		}
		String rows = queues.stream()
			.map((queue) -> "<tr class=\"queue\" data-name=\"" + Html.escape(queue.name()) + "\">"
					+ Html.cell("name", queue.name()) + Html.cell("holder", queue.holder())
					+ Html.cell("token", Long.toString(queue.token())) + Html.cell("waiting", String.join(", ", queue.waiting()))
					+ "</tr>")
			.collect(Collectors.joining());
		return Html.table(this.id, this.prefix,
				List.of(this.election ? "election" : "lock", this.election ? "leader" : "holder", "token",
						this.election ? "candidates in line" : "waiters in line"),
				rows);
	}

	/**
	 * @param name the election or lock name
	 * @param holder the leader's candidate id, or the lock holder's lease
	 * @param token the holder's create revision
	 * @param waiting the others, in the order they will get it
	 */
	record Queue(String name, String holder, long token, List<String> waiting) {
	}

}
