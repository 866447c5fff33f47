package io.github.etcdgrpclb.spring.actuate;

import io.github.etcdgrpclb.spring.config.EtcdConfigRefresher;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Meters of the configuration imported from etcd:
 * <ul>
 * <li>{@code grpclb.config.changes} (counter), tagged {@code result}: {@code applied} changes, and
 * {@code rejected} ones after which a bean kept its old values (they did not bind or validate);</li>
 * <li>{@code grpclb.config.malformed} (counter): document keys skipped because they could not be parsed;</li>
 * <li>{@code grpclb.config.rejected} (gauge): beans that refused etcd's latest values and run on their old
 * ones now (an instance started with those values would fail to start).</li>
 * </ul>
 */
public class EtcdConfigMetrics implements MeterBinder {

	private final EtcdConfigRefresher refresher;

	/** @param refresher what applies etcd's configuration changes */
	public EtcdConfigMetrics(EtcdConfigRefresher refresher) {
		this.refresher = refresher;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		FunctionCounter.builder("grpclb.config.changes", this.refresher, EtcdConfigRefresher::appliedChanges)
			.tag("result", "applied")
			.description("Configuration changes from etcd applied to the application")
			.register(registry);
		FunctionCounter.builder("grpclb.config.changes", this.refresher, EtcdConfigRefresher::rejectedChanges)
			.tag("result", "rejected")
			.description("Configuration changes from etcd after which a bean kept its old values")
			.register(registry);
		FunctionCounter.builder("grpclb.config.malformed", this.refresher, EtcdConfigRefresher::malformedKeys)
			.description("Configuration documents in etcd skipped because they could not be parsed")
			.register(registry);
		Gauge.builder("grpclb.config.rejected", this.refresher, (refresher) -> refresher.rejectedValues().size())
			.description("Beans that refused the configuration in etcd and run on their old values")
			.register(registry);
	}

}
