package io.github.etcdgrpclb.console;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The console's sections (services, leaders, locks, configuration, cluster) as HTML rendered on the
 * server: the page shows them on its first paint, and each open page gets a section again as a
 * server-sent event whenever its watch changes it (the page's script only swaps the section's HTML in:
 * one renderer, on the server). A section may render differently for an admin (the services' write
 * actions): a viewer's page never receives what only an admin may use. A page that went away is
 * dropped at its next send.
 */
class LiveSections {

	/** The sections, in page order. */
	static final String[] IDS = { "services", "history", "leases", "leaders", "locks", "config", "cluster" };

	/** Each section's HTML for viewers and for admins (the same string when it does not differ). */
	private final Map<String, Rendered> html = new ConcurrentHashMap<>();

	private final Map<String, Object> models = new ConcurrentHashMap<>();

	/** The open pages, and whether each is an admin's. */
	private final Map<SseEmitter, Boolean> pages = new ConcurrentHashMap<>();

	LiveSections() {
		for (String id : IDS) {
			String loading = "<p class=\"loading\">Reading etcd...</p>";
			this.html.put(id, new Rendered(loading, loading));
		}
	}

	/**
	 * A section changed: kept for new pages and sent to the open ones.
	 * @param id the section
	 * @param model what it shows (for the JSON API)
	 * @param rendered its HTML
	 */
	void update(String id, Object model, String rendered) {
		update(id, model, rendered, rendered);
	}

	/**
	 * A section that shows admins more changed: kept for new pages and sent to the open ones.
	 * @param id the section
	 * @param model what it shows (for the JSON API)
	 * @param forViewers its HTML for everyone
	 * @param forAdmins its HTML for admins, with the actions that write
	 */
	synchronized void update(String id, Object model, String forViewers, String forAdmins) {
		this.models.put(id, model);
		Rendered rendered = new Rendered(forViewers, forAdmins);
		Rendered previous = this.html.put(id, rendered);
		this.pages.forEach((page, admin) -> {
			if (previous == null || !rendered.of(admin).equals(previous.of(admin))) {
				send(page, id, rendered.of(admin));
			}
		});
	}

	/**
	 * @param admin whether for an admin
	 * @return each section's HTML, in page order
	 */
	Map<String, String> html(boolean admin) {
		Map<String, String> ordered = new LinkedHashMap<>();
		for (String id : IDS) {
			ordered.put(id, this.html.get(id).of(admin));
		}
		return ordered;
	}

	/** @return what a section shows, or null before etcd was read */
	Object model(String id) {
		return this.models.get(id);
	}

	/**
	 * @param admin whether the page is an admin's
	 * @return a stream for one page: every section now, then each change
	 */
	synchronized SseEmitter subscribe(boolean admin) {
		SseEmitter page = new SseEmitter(0L); // no timeout: open while the page is
		page.onCompletion(() -> this.pages.remove(page));
		page.onTimeout(() -> this.pages.remove(page));
		page.onError((error) -> this.pages.remove(page));
		this.pages.put(page, admin);
		html(admin).forEach((id, rendered) -> send(page, id, rendered));
		return page;
	}

	/**
	 * Ends every page's stream when the application closes, before the web server's graceful shutdown,
	 * which would otherwise wait its full timeout (30 s) for streams that never end by themselves. The
	 * pages' EventSource reconnects to the next console.
	 */
	@EventListener(ContextClosedEvent.class)
	void closePages() {
		this.pages.keySet().forEach(SseEmitter::complete);
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

	private record Rendered(String forViewers, String forAdmins) {

		String of(boolean admin) {
			return admin ? this.forAdmins : this.forViewers;
		}

	}

}
