package io.github.etcdgrpclb.spring.config;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code @ConfigurationProperties} beans that refused etcd's latest values for them and run on
 * their old ones, until a later change binds. Operators must see these before the next restart: an
 * instance started with the same values fails to start.
 */
final class RejectedConfiguration {

	private final Map<String, RejectedValues> byBean = new ConcurrentHashMap<>();

	void rejected(RejectedValues values) {
		this.byBean.put(values.bean(), values);
	}

	void accepted(String bean) {
		this.byBean.remove(bean);
	}

	/** @return the beans on old values now, by folder and bean name */
	List<RejectedValues> current() {
		return this.byBean.values()
			.stream()
			.sorted(Comparator.comparing(RejectedValues::folder).thenComparing(RejectedValues::bean))
			.toList();
	}

}
