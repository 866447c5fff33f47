package io.github.etcdgrpclb.spring.config;

import java.util.ArrayList;
import java.util.List;

import io.github.etcdgrpclb.spring.etcd.InvalidEtcdPropertyException;

import org.springframework.lang.Nullable;
import org.springframework.util.StringUtils;

/**
 * The folders an import of {@code etcd:<root>} reads, lowest precedence first, in Spring Cloud
 * Consul's layout: the shared folder, the shared folder of each profile, the application's folder,
 * the application's folder of each profile ({@code /config/application/},
 * {@code /config/application,prod/}, {@code /config/orders/}, {@code /config/orders,prod/}). A later
 * profile wins over an earlier one, as in Spring.
 */
final class ConfigFolders {

	static final String DEFAULT_ROOT = "/config";

	private ConfigFolders() {
	}

	/**
	 * @param root the imported root ({@code /config}), without a trailing slash
	 * @param settings the etcd.config settings
	 * @param applicationName the application's folder name (null: shared folders only)
	 * @param profiles the active profiles, in activation order
	 * @return the folders, each ending in {@code /}
	 */
	static List<String> of(String root, EtcdConfigProperties settings, @Nullable String applicationName,
			List<String> profiles) {
		List<String> folders = new ArrayList<>();
		String shared = name("etcd.config.shared-name", settings.getSharedName());
		addWithProfiles(folders, root + "/" + shared, settings.getProfileSeparator(), profiles);
		if (StringUtils.hasText(applicationName) && !applicationName.trim().equals(shared)) {
			addWithProfiles(folders, root + "/" + name("etcd.config.name", applicationName), settings.getProfileSeparator(),
					profiles);
		}
		return folders;
	}

	/** @return the root of an {@code etcd:} location: {@code /config} unless the location names one */
	static String root(String location) {
		String root = location.trim();
		if (root.isEmpty() || "/".equals(root)) {
			return DEFAULT_ROOT;
		}
		root = root.replaceAll("/+$", "");
		return root.startsWith("/") ? root : "/" + root;
	}

	private static void addWithProfiles(List<String> folders, String base, String separator, List<String> profiles) {
		folders.add(base + "/");
		for (String profile : profiles) {
			folders.add(base + separator + profile + "/");
		}
	}

	private static String name(String property, String name) {
		String trimmed = (name != null) ? name.trim() : "";
		if (trimmed.isEmpty() || trimmed.contains("/")) {
			throw new InvalidEtcdPropertyException(property, name, "a configuration folder name is one non-empty key segment",
					"Set " + property + " to a name without '/', e.g. 'orders'.");
		}
		return trimmed;
	}

}
