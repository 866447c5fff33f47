package io.github.etcdgrpclb.console;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.web.util.HtmlUtils;

/** The few pieces of markup the sections share; every value from etcd is escaped here. */
final class Html {

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

	private Html() {
	}

	static String escape(String text) {
		return HtmlUtils.htmlEscape(text);
	}

	/** @return a cell of class {@code kind} holding the text, escaped */
	static String cell(String kind, String text) {
		return "<td class=\"" + kind + "\">" + escape(text) + "</td>";
	}

	/** @return {@code k=v, k=v} of the entries */
	static String pairs(Map<String, String> entries) {
		return entries.entrySet().stream().map((entry) -> entry.getKey() + "=" + entry.getValue())
			.collect(Collectors.joining(", "));
	}

	/** @return a titled table; {@code rows} are rows already built with {@link #cell} */
	static String table(String kind, String title, List<String> headings, String rows) {
		String head = headings.stream().map((heading) -> "<th>" + escape(heading) + "</th>").collect(Collectors.joining());
		return "<div class=\"" + kind + "\" data-name=\"" + escape(title) + "\"><h3>" + escape(title)
				+ "</h3><table><thead><tr>" + head + "</tr></thead><tbody>" + rows + "</tbody></table></div>";
	}

	/** @return the instant as this machine's wall-clock time, {@code HH:mm:ss} */
	static String time(Instant instant) {
		return TIME.format(LocalTime.ofInstant(instant, ZoneId.systemDefault()));
	}

	static String empty(String message) {
		return "<p class=\"empty\">" + escape(message) + "</p>";
	}

}
