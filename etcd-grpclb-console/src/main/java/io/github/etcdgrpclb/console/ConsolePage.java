package io.github.etcdgrpclb.console;

import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.security.web.csrf.CsrfToken;

/**
 * The page: a heading per section and the section's HTML as the server rendered it; a few lines of
 * script swap a section in whenever {@code /events} sends it again (no template engine, no front-end
 * build). {@code body[data-live]} is {@code true} once the stream is connected, {@code false} while it
 * reconnects (the heading says so).
 */
final class ConsolePage {

	private static final Map<String, String> TITLES = Map.of("services", "Services", "history",
			"Registrations over time", "leases", "Leases", "leaders", "Leaders", "locks", "Locks", "config",
			"Configuration", "cluster", "etcd cluster");

	private static final String SCRIPT = """
			const events = new EventSource('events');
			events.addEventListener('section', (e) => {
			    const section = JSON.parse(e.data);
			    document.getElementById(section.id).innerHTML = section.html;
			    document.body.dataset.live = 'true';
			});
			events.onerror = () => { document.body.dataset.live = 'false'; };
			// The forms arrive over the stream, shared by every admin's page: each adds its own CSRF token.
			document.addEventListener('submit', (e) => {
			    const csrf = document.querySelector('meta[name=csrf]');
			    if (csrf && e.target.method === 'post' && !e.target.querySelector('input[name=' + csrf.dataset.parameter + ']')) {
			        const token = document.createElement('input');
			        token.type = 'hidden';
			        token.name = csrf.dataset.parameter;
			        token.value = csrf.content;
			        e.target.appendChild(token);
			    }
			});
			""";

	private ConsolePage() {
	}

	/**
	 * Who reads the page.
	 * @param name the signed-in user, or null
	 * @param admin whether the reader may write
	 * @param signInOffered whether users are configured (else there is nobody to sign in as)
	 * @param csrf the reader's CSRF token, or null
	 */
	record Viewer(String name, boolean admin, boolean signInOffered, CsrfToken csrf) {

		String header() {
			if (this.name != null) {
				return "<p class=\"user\">Signed in as <span class=\"name\">" + Html.escape(this.name) + "</span>"
						+ (this.admin ? " (admin)" : " (read-only)")
						+ "<form class=\"logout\" method=\"post\" action=\"logout\"><button>Sign out</button></form></p>";
			}
			return this.signInOffered ? "<p class=\"user\">Read-only. <a href=\"login\">Sign in</a></p>"
					: "<p class=\"user\">Read-only (no admin is configured).</p>";
		}

		String meta() {
			return (this.csrf != null) ? "<meta name=\"csrf\" data-parameter=\"" + Html.escape(this.csrf.getParameterName())
					+ "\" content=\"" + Html.escape(this.csrf.getToken()) + "\">" : "";
		}

	}

	static String render(Map<String, String> sections, Viewer viewer) {
		String body = sections.entrySet()
			.stream()
			.map((section) -> "<h2>" + TITLES.get(section.getKey()) + "</h2><section id=\"" + section.getKey() + "\">"
					+ section.getValue() + "</section>")
			.collect(Collectors.joining("\n"));
		return """
				<!DOCTYPE html>
				<html lang="en"><head><meta charset="utf-8">%s<title>etcd-grpclb console</title>
				<style>body{font-family:sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse;margin:.5em 0 1em}
				td,th{border:1px solid #ccc;padding:.3em .8em;text-align:left}td.weight,td.token{text-align:right}
				h3{font-size:1em;margin:.8em 0 0}div.history{display:inline-block;margin-right:2em}p.now{font-size:.85em;margin:0}tr.drained{color:#888}form{display:inline;margin:0}input[type=number]{width:4em}p.user{color:#555}body[data-live=false] h1::after{content:" (reconnecting)";color:#b00}</style></head>
				<body><h1>etcd-grpclb console</h1>
				%s
				%s
				<script>%s</script></body></html>
				""".formatted(viewer.meta(), viewer.header(), body, SCRIPT);
	}

}
