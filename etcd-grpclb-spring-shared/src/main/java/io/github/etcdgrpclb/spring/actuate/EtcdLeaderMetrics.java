package io.github.etcdgrpclb.spring.actuate;

import io.github.etcdgrpclb.spring.election.EtcdLeadership;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Meters of the election this application takes part in, tagged with the election's {@code name}:
 * <ul>
 * <li>{@code grpclb.leader.is.leader} (gauge): 1 while this instance leads, else 0;</li>
 * <li>{@code grpclb.leader.terms} (counter): terms this instance led (leadership changes to it);</li>
 * <li>{@code grpclb.leader.time} (counter, seconds): time this instance led.</li>
 * </ul>
 */
public class EtcdLeaderMetrics implements MeterBinder {

	private final EtcdLeadership leadership;

	/** @param leadership the application's leadership */
	public EtcdLeaderMetrics(EtcdLeadership leadership) {
		this.leadership = leadership;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		String election = this.leadership.election();
		String name = election.substring(election.lastIndexOf('/') + 1);
		Gauge.builder("grpclb.leader.is.leader", this.leadership, (leadership) -> leadership.isLeader() ? 1 : 0)
			.tag("name", name)
			.description("1 while this instance leads the election, else 0")
			.register(registry);
		FunctionCounter.builder("grpclb.leader.terms", this.leadership, EtcdLeadership::terms)
			.tag("name", name)
			.description("Terms this instance led")
			.register(registry);
		FunctionCounter.builder("grpclb.leader.time", this.leadership, EtcdLeadership::secondsAsLeader)
			.tag("name", name)
			.baseUnit("seconds")
			.description("Time this instance led the election")
			.register(registry);
	}

}
