package io.github.etcdgrpclb.balancer;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

import io.grpc.Status;

/**
 * How far the {@code weight} policy may deviate from etcd's weights, from what the client sees of its
 * own calls: etcd's weight says what an operator wants when all is well; failures and latency say
 * how far to deviate when a server is up but sick. The policy's defaults are on; {@link #STATIC}
 * is the Go tutorial's plain weighted random.
 *
 * @param enabled whether calls are measured at all (false: static weights, no per-call cost)
 * @param interval how often effective weights are computed again (off the pick path)
 * @param failureStatuses the call statuses that count as a server's failure; application statuses
 * (NOT_FOUND, INVALID_ARGUMENT...) are answers, not failures
 * @param ejection when a failing server is taken out for a while
 * @param latency how a slow server's share shrinks
 * @param slowStart how a new or returning server ramps up
 */
public record HealthPolicy(boolean enabled, Duration interval, Set<Status.Code> failureStatuses, Ejection ejection,
		Latency latency, SlowStart slowStart) {

	/** The statuses that mean the server, not the request, failed. */
	public static final Set<Status.Code> DEFAULT_FAILURE_STATUSES = Set.copyOf(EnumSet.of(Status.Code.UNAVAILABLE,
			Status.Code.DEADLINE_EXCEEDED, Status.Code.INTERNAL, Status.Code.UNKNOWN));

	/** On: ejection and latency-aware shares, every 500 ms; no slow start. */
	public static final HealthPolicy DEFAULT = new HealthPolicy(true, Duration.ofMillis(500), DEFAULT_FAILURE_STATUSES,
			Ejection.DEFAULT, Latency.DEFAULT, SlowStart.OFF);

	/** Off: etcd's weights as they are, the Go tutorial's weighted random. */
	public static final HealthPolicy STATIC = new HealthPolicy(false, DEFAULT.interval, DEFAULT_FAILURE_STATUSES,
			Ejection.DEFAULT, Latency.DEFAULT, SlowStart.OFF);

	public HealthPolicy {
		require(interval != null && !interval.isNegative() && !interval.isZero(), "interval must be positive");
		require(failureStatuses != null && !failureStatuses.contains(Status.Code.OK), "OK cannot be a failure status");
		failureStatuses = Set.copyOf(failureStatuses);
		require(ejection != null && latency != null && slowStart != null, "ejection, latency and slowStart are needed");
	}

	/** @return whether anything changes a server's weight from what etcd says */
	public boolean adjustsWeights() {
		return this.enabled && (this.ejection.enabled() || this.latency.enabled() || this.slowStart.enabled());
	}

	/**
	 * Outlier ejection (the failure-percentage rule of gRFC A50): a server whose calls failed at least
	 * {@code failureThreshold} of the time, over at least {@code minRequests} calls, and at least twice
	 * as often as the rest of the fleet together, is taken out for {@code baseTime} times the number
	 * of times in a row it was, up to {@code maxTime}; never more than {@code maxPercent} of the servers
	 * at once (rounded down), so a picker never empties.
	 */
	public record Ejection(boolean enabled, double failureThreshold, int minRequests, Duration baseTime,
			Duration maxTime, int maxPercent) {

		/** 25% of at least 10 calls, 5 s doubling to 10 s, at most half of the servers. */
		public static final Ejection DEFAULT = new Ejection(true, 0.25, 10, Duration.ofSeconds(5), Duration.ofSeconds(10),
				50);

		public Ejection {
			require(failureThreshold > 0 && failureThreshold <= 1, "ejection failureThreshold must be in (0, 1]");
			require(minRequests >= 1, "ejection minRequests must be at least 1");
			require(baseTime != null && baseTime.toMillis() > 0, "ejection baseTime must be positive");
			require(maxTime != null && maxTime.compareTo(baseTime) >= 0, "ejection maxTime must be at least baseTime");
			require(maxPercent >= 0 && maxPercent <= 100, "ejection maxPercent must be from 0 to 100");
		}

	}

	/**
	 * Latency-aware shares: a server counts as slow when its latency (an average of its successful
	 * calls, or the age of its calls in flight when that is longer) exceeds the fleet's median by
	 * more than {@code tolerance} times and by more than {@code minDifference}, in two judgements in a
	 * row (one slow interval is as often the client's own stall as the server); its share is then
	 * multiplied by {@code (threshold / latency)^2}, never below {@code minFactor} so it still gets the
	 * calls that show its recovery.
	 */
	public record Latency(boolean enabled, double tolerance, Duration minDifference, double minFactor) {

		/** 1.5x and 5 ms over the median; at least 5% of the weight. */
		public static final Latency DEFAULT = new Latency(true, 1.5, Duration.ofMillis(5), 0.05);

		public Latency {
			require(tolerance >= 1, "latency tolerance must be 1 or more");
			require(minDifference != null && !minDifference.isNegative(), "latency minDifference must not be negative");
			require(minFactor > 0 && minFactor <= 1, "latency minFactor must be in (0, 1]");
		}

	}

	/**
	 * Slow start, as Envoy's: for {@code window} after a server is first seen or comes back from
	 * ejection, its weight is multiplied by {@code max(minWeightPercent / 100, (t / window)^(1 /
	 * aggression))}: linear with aggression 1, slower at first above 1.
	 */
	public record SlowStart(Duration window, int minWeightPercent, double aggression) {

		/** No slow start. */
		public static final SlowStart OFF = new SlowStart(Duration.ZERO, 10, 1.0);

		public SlowStart {
			require(window != null && !window.isNegative(), "slowStart window must not be negative");
			require(minWeightPercent >= 1 && minWeightPercent <= 100, "slowStart minWeightPercent must be 1 to 100");
			require(aggression > 0, "slowStart aggression must be positive");
		}

		/** @return whether servers ramp up at all */
		public boolean enabled() {
			return !this.window.isZero();
		}

	}

	private static void require(boolean condition, String message) {
		if (!condition) {
			throw new IllegalArgumentException(message);
		}
	}

}
