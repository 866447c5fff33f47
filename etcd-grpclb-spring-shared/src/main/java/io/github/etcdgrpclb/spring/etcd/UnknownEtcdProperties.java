package io.github.etcdgrpclb.spring.etcd;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.json.JsonParserFactory;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Reports {@code etcd.*} properties the starter does not know, with the nearest name it does: these
 * properties decide where traffic goes, and a misspelt one ({@code etcd.registry.metdata.zone})
 * otherwise binds silently to nothing. Known names are read from the generated configuration metadata
 * of every jar; map properties ({@code etcd.registry.metadata.*}) take any key. Environment variables
 * are not checked: etcd's own server reads {@code ETCD_*} variables on the same machines.
 * {@code etcd.unknown-properties}: {@code warn} (default), {@code fail}, or {@code ignore}.
 */
public class UnknownEtcdProperties implements InitializingBean {

	private static final Logger logger = LoggerFactory.getLogger(UnknownEtcdProperties.class);

	private static final String METADATA = "META-INF/spring-configuration-metadata.json";

	private final ConfigurableEnvironment environment;

	public UnknownEtcdProperties(ConfigurableEnvironment environment) {
		this.environment = environment;
	}

	@Override
	public void afterPropertiesSet() {
		String mode = this.environment.getProperty("etcd.unknown-properties", "warn").trim().toLowerCase(Locale.ROOT);
		if (!List.of("warn", "fail", "ignore").contains(mode)) {
			throw new InvalidEtcdPropertyException("etcd.unknown-properties", mode, "must be warn, fail or ignore",
					"Set etcd.unknown-properties to warn (the default), fail or ignore.");
		}
		if (mode.equals("ignore")) {
			return;
		}
		KnownNames known = KnownNames.load(getClass().getClassLoader());
		for (PropertySource<?> source : this.environment.getPropertySources()) {
			if (!(source instanceof EnumerablePropertySource<?> names)
					|| StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME.equals(source.getName())) {
				continue;
			}
			for (String name : names.getPropertyNames()) {
				String canonical = canonical(name);
				if (canonical != null && !known.contains(canonical)) {
					report(mode, name, source.getName(), known.nearest(canonical));
				}
			}
		}
	}

	/** @return the name without indexes, when it is an etcd.* name; else null */
	private static String canonical(String name) {
		if (!name.regionMatches(true, 0, "etcd.", 0, 5)) {
			return null;
		}
		return name.replaceAll("\\[[^\\]]*\\]", "");
	}

	/** @return the name as relaxed binding compares it: lower case, without '-' and '_' (slowStart = slow-start) */
	private static String uniform(String name) {
		return name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
	}

	private static void report(String mode, String name, String source, String nearest) {
		String hint = (nearest != null) ? "did you mean '" + nearest + "'?" : "no etcd property has a name near it";
		if (mode.equals("fail")) {
			throw new InvalidEtcdPropertyException(name, "(set in " + source + ")", "no such property: " + hint,
					"Correct the name, or remove it; etcd.unknown-properties=warn only warns.");
		}
		logger.warn("Unknown property '{}' (in {}), it binds to nothing: {}", name, source, hint);
	}

	/** The etcd.* names the starter's metadata lists, and the map properties that take any key. */
	private record KnownNames(Set<String> names, Set<String> mapPrefixes) {

		static KnownNames load(ClassLoader classLoader) {
			Set<String> names = new TreeSet<>();
			Set<String> maps = new TreeSet<>();
			names.add("etcd.unknown-properties");
			try {
				Enumeration<URL> resources = classLoader.getResources(METADATA);
				while (resources.hasMoreElements()) {
					read(resources.nextElement(), names, maps);
				}
			}
			catch (IOException ex) {
				logger.debug("Cannot read the configuration metadata; unknown etcd properties are not reported", ex);
			}
			return new KnownNames(names, maps);
		}

		@SuppressWarnings("unchecked")
		private static void read(URL resource, Set<String> names, Set<String> maps) throws IOException {
			String json;
			try (InputStream in = resource.openStream()) {
				json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			}
			Object properties = JsonParserFactory.getJsonParser().parseMap(json).get("properties");
			if (!(properties instanceof List<?> list)) {
				return;
			}
			for (Object property : list) {
				Map<String, Object> entry = (Map<String, Object>) property;
				String name = String.valueOf(entry.get("name"));
				if (name.startsWith("etcd.")) {
					names.add(name);
					if (String.valueOf(entry.get("type")).startsWith("java.util.Map")) {
						maps.add(name + ".");
					}
				}
			}
		}

		boolean contains(String name) {
			String relaxed = uniform(name);
			return this.names.stream().anyMatch((known) -> uniform(known).equals(relaxed))
					|| this.mapPrefixes.stream().anyMatch((map) -> relaxed.startsWith(uniform(map)));
		}

		/** @return the known name nearest to it, when one is near enough to be a misspelling; else null */
		String nearest(String name) {
			List<String> candidates = new ArrayList<>(this.names);
			for (String map : this.mapPrefixes) {
				int segments = map.split("\\.").length;
				String[] parts = name.split("\\.", segments + 1);
				if (parts.length > segments) {
					candidates.add(map + parts[segments]);
				}
			}
			String nearest = null;
			int best = Integer.MAX_VALUE;
			for (String candidate : candidates) {
				int distance = distance(name, candidate);
				if (distance < best) {
					best = distance;
					nearest = candidate;
				}
			}
			return (nearest != null && best <= Math.max(2, name.length() / 5)) ? nearest : null;
		}

		private static int distance(String a, String b) {
			int[] previous = new int[b.length() + 1];
			int[] current = new int[b.length() + 1];
			for (int j = 0; j <= b.length(); j++) {
				previous[j] = j;
			}
			for (int i = 1; i <= a.length(); i++) {
				current[0] = i;
				for (int j = 1; j <= b.length(); j++) {
					int substitution = previous[j - 1] + ((a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1);
					current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
				}
				int[] swap = previous;
				previous = current;
				current = swap;
			}
			return previous[b.length()];
		}

	}

}
