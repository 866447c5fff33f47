package io.github.etcdgrpclb.balancer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The fleet rule, run once per interval in the channel's SynchronizationContext: takes in each
 * server's calls, lets back in the servers whose ejection ended, ejects those that fail clearly more
 * than the rest (at most {@code maxPercent} of the fleet, worst first), and sets every other server's
 * factor from its latency against the fleet's median and from its slow start.
 */
final class HealthJudge {

	/**
	 * A server is slowed once it was slow in this many judgements in a row: one slow interval is as
	 * often the client's own stall (a GC pause, a starved CPU) caught while the server had a call in
	 * flight, or a handful of answers, as it is the server; a server that is slow stays slow.
	 */
	static final int SLOW_INTERVALS = 2;

	private final HealthPolicy policy;

	HealthJudge(HealthPolicy policy) {
		this.policy = policy;
	}

	/**
	 * @param fleet every server of the channel
	 * @param nowNanos the ticker's time
	 * @return the servers ejected by this judgement
	 */
	List<EndpointHealth> judge(List<EndpointHealth> fleet, long nowNanos) {
		fleet.forEach(EndpointHealth::sample);
		for (EndpointHealth server : fleet) {
			if (server.isEjected() && nowNanos - server.ejectedUntilNanos() >= 0) {
				server.readmit(nowNanos);
			}
		}
		List<EndpointHealth> ejected = this.policy.ejection().enabled() ? eject(fleet, nowNanos) : List.of();
		double median = medianCost(fleet);
		for (EndpointHealth server : fleet) {
			if (!server.isEjected()) {
				setFactor(server, median, nowNanos);
			}
		}
		return ejected;
	}

	private List<EndpointHealth> eject(List<EndpointHealth> fleet, long nowNanos) {
		HealthPolicy.Ejection rule = this.policy.ejection();
		long calls = 0;
		long failures = 0;
		for (EndpointHealth server : fleet) {
			calls += server.windowCalls();
			failures += server.windowFailures();
		}
		List<EndpointHealth> outliers = new ArrayList<>();
		for (EndpointHealth server : fleet) {
			if (server.isEjected() || server.windowCalls() < rule.minRequests()) {
				if (server.windowExpired()) {
					server.closeWindow(); // too few calls to judge: start over
				}
				continue;
			}
			long restCalls = calls - server.windowCalls();
			double restRatio = (restCalls == 0) ? 0 : (double) (failures - server.windowFailures()) / restCalls;
			double ratio = server.failureRatio();
			if (ratio >= rule.failureThreshold() && ratio >= 2 * restRatio) {
				outliers.add(server);
				server.judged(0, String.format(Locale.ROOT, "ejected: %.0f%% of %d calls failed (the rest: %.0f%%)",
						100 * ratio, server.windowCalls(), 100 * restRatio));
			}
			else {
				server.forgiveOne();
				server.closeWindow();
			}
		}
		outliers.sort(Comparator.comparingDouble(EndpointHealth::failureRatio).reversed());
		int room = maxEjected(fleet.size()) - (int) fleet.stream().filter(EndpointHealth::isEjected).count();
		List<EndpointHealth> ejected = new ArrayList<>();
		for (EndpointHealth outlier : outliers) {
			if (ejected.size() < room) {
				long nanos = Math.min(rule.maxTime().toNanos(), rule.baseTime().toNanos() * (outlier.ejections() + 1));
				outlier.eject(nowNanos + nanos);
				ejected.add(outlier);
			}
			else {
				outlier.closeWindow(); // no room: judged again on its next window
			}
		}
		return ejected;
	}

	/** @return how many servers may be out at once: never all of them */
	private int maxEjected(int servers) {
		return Math.min(servers - 1, servers * this.policy.ejection().maxPercent() / 100);
	}

	/** @return the lower median of the known costs of the servers in, NaN when none is known */
	private static double medianCost(List<EndpointHealth> fleet) {
		double[] costs = fleet.stream()
			.filter((server) -> !server.isEjected())
			.mapToDouble(EndpointHealth::costNanos)
			.filter((cost) -> !Double.isNaN(cost))
			.sorted()
			.toArray();
		return (costs.length == 0) ? Double.NaN : costs[(costs.length - 1) / 2];
	}

	private void setFactor(EndpointHealth server, double median, long nowNanos) {
		double slowStart = slowStartFactor(server, nowNanos);
		double cost = server.costNanos();
		HealthPolicy.Latency latency = this.policy.latency();
		double threshold = Math.max(median * latency.tolerance(), median + latency.minDifference().toNanos());
		boolean slow = latency.enabled() && !Double.isNaN(median) && !Double.isNaN(cost) && cost > threshold;
		if (server.countSlow(slow) >= SLOW_INTERVALS) {
			double factor = Math.max(latency.minFactor(), (threshold / cost) * (threshold / cost));
			server.judged(factor * slowStart, String.format(Locale.ROOT, "slowed to %.0f%%: latency %.1f ms vs fleet %.1f ms",
					100 * factor, cost / 1e6, median / 1e6) + warmingUp(slowStart));
		}
		else if (slowStart < 1) {
			server.judged(slowStart, warmingUp(slowStart).substring(2));
		}
		else {
			server.judged(1, "healthy");
		}
	}

	private double slowStartFactor(EndpointHealth server, long nowNanos) {
		HealthPolicy.SlowStart slowStart = this.policy.slowStart();
		long window = slowStart.window().toNanos();
		long elapsed = nowNanos - server.rampStartNanos();
		if (window == 0 || elapsed >= window) {
			return 1;
		}
		double ramp = Math.pow(Math.max(0, elapsed) / (double) window, 1 / slowStart.aggression());
		return Math.max(slowStart.minWeightPercent() / 100.0, ramp);
	}

	private static String warmingUp(double slowStart) {
		return (slowStart < 1) ? String.format(Locale.ROOT, "; warming up: %.0f%%", 100 * slowStart) : "";
	}

}
