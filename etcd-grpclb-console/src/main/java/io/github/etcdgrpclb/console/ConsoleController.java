package io.github.etcdgrpclb.console;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The page ({@code /}: every section rendered on the server, so that {@code chromium --dump-dom} and
 * scripts read it without running it), its live stream ({@code /events}), and each section's data as
 * JSON ({@code /api/services}, {@code /api/leaders}, {@code /api/locks}, {@code /api/config},
 * {@code /api/cluster}).
 */
@RestController
class ConsoleController {

	private final LiveSections sections;

	ConsoleController(LiveSections sections) {
		this.sections = sections;
	}

	@GetMapping(path = "/", produces = MediaType.TEXT_HTML_VALUE)
	String page() {
		return ConsolePage.render(this.sections.html());
	}

	@GetMapping(path = "/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	SseEmitter events() {
		return this.sections.subscribe();
	}

	@GetMapping(path = "/api/{section}", produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<Object> section(@PathVariable String section) {
		Object model = this.sections.model(section);
		return (model != null) ? ResponseEntity.ok(model) : ResponseEntity.notFound().build();
	}

}
