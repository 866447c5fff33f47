package io.github.etcdgrpclb.console;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The page ({@code /}: every section rendered on the server, so that {@code chromium --dump-dom} and
 * scripts read it without running it), its live stream ({@code /events}), and each section's data as
 * JSON ({@code /api/services}, {@code /api/leaders}, {@code /api/locks}, {@code /api/config},
 * {@code /api/cluster}). An admin's page and stream carry the forms that write; nobody else's do.
 */
@RestController
class ConsoleController {

	private final LiveSections sections;

	private final ConsoleProperties console;

	ConsoleController(LiveSections sections, ConsoleProperties console) {
		this.sections = sections;
		this.console = console;
	}

	@GetMapping(path = "/", produces = MediaType.TEXT_HTML_VALUE)
	String page(Authentication user, CsrfToken csrf) {
		boolean admin = ConsoleSecurityConfiguration.isAdmin(user, this.console);
		return ConsolePage.render(this.sections.html(admin), new ConsolePage.Viewer(signedIn(user), admin,
				!this.console.getUsers().isEmpty(), csrf));
	}

	@GetMapping(path = "/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	SseEmitter events(Authentication user) {
		return this.sections.subscribe(ConsoleSecurityConfiguration.isAdmin(user, this.console));
	}

	@GetMapping(path = "/api/{section}", produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<Object> section(@PathVariable String section) {
		Object model = this.sections.model(section);
		return (model != null) ? ResponseEntity.ok(model) : ResponseEntity.notFound().build();
	}

	/** @return the signed-in user's name, or null for an anonymous reader */
	private static String signedIn(Authentication user) {
		return (user != null && user.isAuthenticated()
				&& !(user instanceof org.springframework.security.authentication.AnonymousAuthenticationToken))
				? user.getName() : null;
	}

}
