package io.github.etcdgrpclb.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The configuration centre: each folder under the configuration prefix ({@code /config/<folder>/<key>},
 * what {@code spring.config.import=etcd:} reads) with its keys, values and the folder's revision (its
 * newest write). Values of keys named like secrets (password, token, api-key...) are masked, as Spring
 * Boot's actuator masks them: the console is readable by anyone who reaches it.
 */
final class ConfigSection implements Consumer<Map<String, LivePrefix.Entry>> {

	/** Keys whose values are not shown, as Spring Boot's actuator sanitizes them. */
	private static final Pattern SECRET = Pattern
		.compile("(?i)(password|secret|token|credential|private[-_.]?key|api[-_.]?key|passphrase)");

	private static final String MASK = "******";

	private final LiveSections sections;

	private final String prefix;

	/** @param prefix the configuration prefix with its trailing slash */
	ConfigSection(LiveSections sections, String prefix) {
		this.sections = sections;
		this.prefix = prefix;
	}

	@Override
	public void accept(Map<String, LivePrefix.Entry> keys) {
		Map<String, List<LivePrefix.Entry>> byFolder = new TreeMap<>();
		keys.values().forEach((entry) -> {
			int slash = entry.key().indexOf('/', this.prefix.length());
			if (slash > this.prefix.length()) {
				byFolder.computeIfAbsent(entry.key().substring(this.prefix.length(), slash), (folder) -> new ArrayList<>())
					.add(entry);
			}
		});
		List<Folder> folders = new ArrayList<>();
		byFolder.forEach((folder, entries) -> folders.add(new Folder(folder,
				entries.stream().mapToLong(LivePrefix.Entry::modRevision).max().orElse(0),
				entries.stream().map((entry) -> key(entry, folder)).toList())));
		this.sections.update("config", folders, html(folders));
	}

	private Key key(LivePrefix.Entry entry, String folder) {
		String name = entry.key().substring(this.prefix.length() + folder.length() + 1);
		return new Key(name, SECRET.matcher(name).find() ? MASK : entry.value(), entry.modRevision());
	}

	private String html(List<Folder> folders) {
		if (folders.isEmpty()) {
			return Html.empty("No configuration folder under " + this.prefix);
		}
		return folders.stream()
			.map((folder) -> Html.table("folder", this.prefix + folder.name() + "/ (revision " + folder.revision() + ")",
					List.of("key", "value", "revision"),
					folder.keys().stream().map((key) -> "<tr>" + Html.cell("key", key.key()) + Html.cell("value", key.value())
							+ Html.cell("revision", Long.toString(key.revision())) + "</tr>").collect(Collectors.joining())))
			.collect(Collectors.joining());
	}

	/**
	 * @param name the folder (usually an application name)
	 * @param revision its newest write
	 * @param keys its keys, below the folder
	 */
	record Folder(String name, long revision, List<Key> keys) {
	}

	record Key(String key, String value, long revision) {
	}

}
