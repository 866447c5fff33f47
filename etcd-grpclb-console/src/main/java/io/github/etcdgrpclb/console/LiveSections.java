package io.github.etcdgrpclb.console;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;

import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The console's sections (services, leaders, locks, configuration, cluster) as HTML rendered on the
 * server: the page shows them on its first paint, and each open page gets a section again as a
 * server-sent event whenever its watch changes it (the page's script only swaps the section's HTML in:
 * one renderer, on the server). A page that went away is dropped at its next send.
 */
class LiveSections {

	/** The sections, in page order. */
	static final String[] IDS = { "services", "leaders", "locks", "config", "cluster" };

	private final Map<String, String> html = new ConcurrentHashMap<>();

	private final Map<String, Object> models = new ConcurrentHashMap<>();

	private final Set<SseEmitter> pages = new CopyOnWriteArraySet<>();

	LiveSections() {
		for (String id : IDS) {
			this.html.put(id, "<p class=\"loading\">Reading etcd...</p>");
		}
	}

	/**
	 * A section changed: kept for new pages and sent to the open ones.
	 * @param id the section
	 * @param model what it shows (for the JSON API)
	 * @param rendered its HTML
	 */
	void update(String id, Object model, String rendered) {
		this.models.put(id, model);
		if (!rendered.equals(this.html.put(id, rendered))) {
			this.pages.forEach((page) -> send(page, id, rendered));
		}
	}

	/** @return each section's HTML, in page order */
	Map<String, String> html() {
		Map<String, String> ordered = new LinkedHashMap<>();
		for (String id : IDS) {
			ordered.put(id, this.html.get(id));
		}
		return ordered;
	}

	/** @return what a section shows, or null before etcd was read */
	Object model(String id) {
		return this.models.get(id);
	}

	/** @return a stream for one page: every section now, then each change */
	SseEmitter subscribe() {
		SseEmitter page = new SseEmitter(0L); // no timeout: open while the page is
		page.onCompletion(() -> this.pages.remove(page));
		page.onTimeout(() -> this.pages.remove(page));
		page.onError((error) -> this.pages.remove(page));
		this.pages.add(page);
		html().forEach((id, rendered) -> send(page, id, rendered));
		return page;
	}

	/**
	 * Ends every page's stream when the application closes, before the web server's graceful shutdown,
	 * which would otherwise wait its full timeout (30 s) for streams that never end by themselves. The
	 * pages' EventSource reconnects to the next console.
	 */
	@EventListener(ContextClosedEvent.class)
	void closePages() {
		this.pages.forEach(SseEmitter::complete);
		this.pages.clear();
	}

	/** @return how many pages are connected */
	int pages() {
		return this.pages.size();
	}

	private void send(SseEmitter page, String id, String rendered) {
		try {
			page.send(SseEmitter.event().name("section").data(Map.of("id", id, "html", rendered)));
		}
		catch (IOException | IllegalStateException ex) {
			this.pages.remove(page); // the page went away
		}
	}

}
