package io.github.etcdgrpclb.console;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.github.etcdgrpclb.discovery.ServiceInstance;
import io.github.etcdgrpclb.etcd.StateMachineThreads;

/**
 * Registrations over time, from the registry's watch alone: per service, a chart of its instance count
 * over what the console has seen, the last 30 minutes at most (its memory: it starts empty), and its
 * current count and total weight. Sampled on each change, drawn again every 10 s so that the time axis moves; an inline SVG
 * rendered on the server like everything else.
 */
final class HistorySection implements AutoCloseable {

	static final Duration WINDOW = Duration.ofMinutes(30);

	private static final int WIDTH = 360;

	private static final int HEIGHT = 48;

	private final LiveSections sections;

	private final Map<String, Deque<Sample>> samples = new TreeMap<>();

	private final ScheduledExecutorService timer = StateMachineThreads.timer("console-history");

	HistorySection(LiveSections sections) {
		this.sections = sections;
		this.timer.scheduleWithFixedDelay(this::render, 10, 10, TimeUnit.SECONDS);
	}

	@Override
	public void close() {
		this.timer.shutdownNow();
	}

	/** The catalog changed: a sample for each service whose count or weight moved. */
	synchronized void record(Map<String, List<ServiceInstance>> catalog) {
		Instant now = Instant.now();
		List<String> services = new ArrayList<>(this.samples.keySet());
		catalog.keySet().stream().filter((service) -> !this.samples.containsKey(service)).forEach(services::add);
		for (String service : services) {
			List<ServiceInstance> instances = catalog.getOrDefault(service, List.of());
			Sample sample = new Sample(now, instances.size(), instances.stream().mapToInt(ServiceInstance::weight).sum());
			Deque<Sample> history = this.samples.computeIfAbsent(service, (name) -> new ArrayDeque<>());
			if (history.isEmpty() || !history.peekLast().sameAs(sample)) {
				history.addLast(sample);
			}
		}
		render();
	}

	synchronized void render() {
		Instant now = Instant.now();
		Instant start = now.minus(WINDOW);
		this.samples.values().forEach((history) -> {
			// Keep the last sample before the window: the value the chart starts with.
			while (history.size() > 1 && !second(history).at().isAfter(start)) {
				history.removeFirst();
			}
		});
		this.samples.values().removeIf((history) -> history.size() == 1 && history.peekLast().instances() == 0
				&& history.peekLast().at().isBefore(start));
		Map<String, List<Sample>> model = new TreeMap<>();
		this.samples.forEach((service, history) -> model.put(service, List.copyOf(history)));
		// The chart spans what the console has seen: from its first sample (within the window) to now.
		Instant from = model.values().stream().map((history) -> history.get(0).at()).min(Instant::compareTo)
			.filter((first) -> first.isAfter(start))
			.orElse(start);
		this.sections.update("history", model, html(model, from, now));
	}

	private static String html(Map<String, List<Sample>> model, Instant from, Instant now) {
		if (model.isEmpty()) {
			return Html.empty("No registration seen yet.");
		}
		return model.entrySet().stream().map((service) -> chart(service.getKey(), service.getValue(), from, now))
			.collect(Collectors.joining());
	}

	private static String chart(String service, List<Sample> history, Instant from, Instant now) {
		int most = Math.max(1, history.stream().mapToInt(Sample::instances).max().orElse(1));
		StringBuilder path = new StringBuilder();
		for (Sample sample : history) {
			double x = x(sample.at(), from, now);
			double y = HEIGHT - 4 - (HEIGHT - 8) * (double) sample.instances() / most;
			path.append(path.isEmpty() ? String.format("M%.1f %.1f", x, y) : String.format(" H%.1f V%.1f", x, y));
		}
		path.append(String.format(" H%d", WIDTH));
		Sample last = history.get(history.size() - 1);
		return "<div class=\"history\" data-name=\"" + Html.escape(service) + "\"><h3>" + Html.escape(service) + "</h3>"
				+ "<svg width=\"" + WIDTH + "\" height=\"" + HEIGHT + "\" role=\"img\" aria-label=\"instances of "
				+ Html.escape(service) + " over the last 30 minutes\"><path d=\"" + path
				+ "\" fill=\"none\" stroke=\"#36c\" stroke-width=\"2\"/></svg>"
				+ "<p class=\"now\">now <span class=\"instances\">" + last.instances() + "</span> instances, total weight "
				+ last.weight() + "; at most " + most + " since " + Html.time(from)
				+ " (30 minutes at most)</p></div>";
	}

	private static Sample second(Deque<Sample> history) {
		var samples = history.iterator();
		samples.next();
		return samples.next();
	}

	private static double x(Instant at, Instant from, Instant now) {
		double fraction = (double) Duration.between(from, at).toMillis() / Math.max(1, Duration.between(from, now).toMillis());
		return Math.max(0, Math.min(1, fraction)) * WIDTH;
	}

	/**
	 * A service's registrations at one moment.
	 * @param at when
	 * @param instances how many instances were registered
	 * @param weight their weights' sum
	 */
	record Sample(Instant at, int instances, int weight) {

		boolean sameAs(Sample other) {
			return this.instances == other.instances && this.weight == other.weight;
		}

	}

}
