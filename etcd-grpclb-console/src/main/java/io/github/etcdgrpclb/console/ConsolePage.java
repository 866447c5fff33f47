package io.github.etcdgrpclb.console;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * The page: a heading per section and the section's HTML as the server rendered it; a few lines of
 * script swap a section in whenever {@code /events} sends it again (no template engine, no front-end
 * build). {@code body[data-live]} is {@code true} once the stream is connected, {@code false} while it
 * reconnects (the heading says so).
 */
final class ConsolePage {

	private static final Map<String, String> TITLES = Map.of("services", "Services", "leaders", "Leaders", "locks",
			"Locks", "config", "Configuration", "cluster", "etcd cluster");

	private static final String SCRIPT = """
			const events = new EventSource('events');
			events.addEventListener('section', (e) => {
			    const section = JSON.parse(e.data);
			    document.getElementById(section.id).innerHTML = section.html;
			    document.body.dataset.live = 'true';
			});
			events.onerror = () => { document.body.dataset.live = 'false'; };
			""";

	private ConsolePage() {
	}

	static String render(Map<String, String> sections) {
		String body = sections.entrySet()
			.stream()
			.map((section) -> "<h2>" + TITLES.get(section.getKey()) + "</h2><section id=\"" + section.getKey() + "\">"
					+ section.getValue() + "</section>")
			.collect(Collectors.joining("\n"));
		return """
				<!DOCTYPE html>
				<html lang="en"><head><meta charset="utf-8"><title>etcd-grpclb console</title>
				<style>body{font-family:sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse;margin:.5em 0 1em}
				td,th{border:1px solid #ccc;padding:.3em .8em;text-align:left}td.weight,td.token{text-align:right}
				h3{font-size:1em;margin:.8em 0 0}body[data-live=false] h1::after{content:" (reconnecting)";color:#b00}</style></head>
				<body><h1>etcd-grpclb console</h1>
				%s
				<script>%s</script></body></html>
				""".formatted(body, SCRIPT);
	}

}
