package io.github.etcdgrpclb.spring.discovery;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

import io.grpc.Status;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties of the etcd name resolver (targets {@code etcd:///<service>} and
 * {@code grpclb:///<service>}). It reads under etcd.registry.prefix and clamps weights to
 * etcd.registry.max-weight.
 */
@ConfigurationProperties("etcd.discovery")
public class EtcdDiscoveryProperties {

	/**
	 * Whether to resolve etcd:/// and grpclb:/// targets through etcd.
	 */
	private boolean enabled = true;

	/**
	 * How often each resolver lists its service again, as a safety net behind the watch (a watch can
	 * go silent after an etcd data restore).
	 */
	private Duration resyncInterval = Duration.ofMinutes(5);

	/**
	 * How long one list request to etcd may take before it is retried.
	 */
	private Duration requestTimeout = Duration.ofSeconds(5);

	/**
	 * The zone this application calls from: its calls stay with the servers of that zone (and those
	 * that name none) while enough of the zone's weight is ready. Default: etcd.registry.metadata.zone.
	 */
	private String zone;

	private final ZoneAffinity zoneAffinity = new ZoneAffinity();

	private final Tags tags = new Tags();

	private final Health health = new Health();

	private final SlowStart slowStart = new SlowStart();

	private final Cloud cloud = new Cloud();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Duration getResyncInterval() {
		return this.resyncInterval;
	}

	public void setResyncInterval(Duration resyncInterval) {
		this.resyncInterval = resyncInterval;
	}

	public Duration getRequestTimeout() {
		return this.requestTimeout;
	}

	public void setRequestTimeout(Duration requestTimeout) {
		this.requestTimeout = requestTimeout;
	}

	public String getZone() {
		return this.zone;
	}

	public void setZone(String zone) {
		this.zone = zone;
	}

	public ZoneAffinity getZoneAffinity() {
		return this.zoneAffinity;
	}

	public Tags getTags() {
		return this.tags;
	}

	public Health getHealth() {
		return this.health;
	}

	public SlowStart getSlowStart() {
		return this.slowStart;
	}

	public Cloud getCloud() {
		return this.cloud;
	}

	/**
	 * The registry as Spring Cloud's discovery client, when Spring Cloud Commons is on the class path.
	 */
	public static class Cloud {

		/**
		 * Whether to offer every service of the registry through Spring Cloud's DiscoveryClient (and
		 * ReactiveDiscoveryClient with Reactor), watched, publishing a HeartbeatEvent on each change.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * Zone affinity: calls stay in the caller's zone while it has ready capacity.
	 */
	public static class ZoneAffinity {

		/**
		 * Whether calls prefer the servers of the caller's zone.
		 */
		private boolean enabled = true;

		/**
		 * The share of the zone's weight (in etcd), in percent, that must be ready and healthy for calls
		 * to stay in the zone; below it they spread over every zone by weight. 0: stay while any local
		 * server is ready.
		 */
		private int minLocalPercent = 50;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getMinLocalPercent() {
			return this.minLocalPercent;
		}

		public void setMinLocalPercent(int minLocalPercent) {
			this.minLocalPercent = minLocalPercent;
		}

	}

	/**
	 * Tag routing: a call carrying the grpclb-tag header goes to the servers whose tags hold it.
	 */
	public static class Tags {

		/**
		 * Whether servers with tags serve only calls carrying one of their tags, while an untagged server
		 * is ready (a canary stays out of ordinary traffic).
		 */
		private boolean isolate = true;

		/**
		 * Whether a tagged call fails (UNAVAILABLE) when no ready server carries its tag, instead of going
		 * to the untagged servers.
		 */
		private boolean strict = false;

		/**
		 * Whether a server hands the grpclb-tag of each call it serves on to the calls it makes meanwhile
		 * (a server interceptor and a client interceptor, on both gRPC integrations).
		 */
		private boolean propagate = true;

		public boolean isPropagate() {
			return this.propagate;
		}

		public void setPropagate(boolean propagate) {
			this.propagate = propagate;
		}

		public boolean isIsolate() {
			return this.isolate;
		}

		public void setIsolate(boolean isolate) {
			this.isolate = isolate;
		}

		public boolean isStrict() {
			return this.strict;
		}

		public void setStrict(boolean strict) {
			this.strict = strict;
		}

	}

	/**
	 * How far the weight balancer may move away from etcd's weights, from what the client's own calls
	 * show (see HealthPolicy in the core for the rules).
	 */
	public static class Health {

		/**
		 * Whether the weight balancer adjusts etcd's weights by what the client's calls show
		 * (failures, latency). false restores the Go tutorial's plain weighted random.
		 */
		private boolean enabled = true;

		/**
		 * How often each channel computes its servers' effective weights again, off the pick path.
		 */
		private Duration interval = Duration.ofMillis(500);

		/**
		 * The call statuses that count as a server's failure. Application statuses (NOT_FOUND,
		 * INVALID_ARGUMENT...) are answers, not failures.
		 */
		private Set<Status.Code> failureStatuses = EnumSet.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED,
				Status.Code.INTERNAL, Status.Code.UNKNOWN);

		private final Ejection ejection = new Ejection();

		private final Latency latency = new Latency();

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			this.interval = interval;
		}

		public Set<Status.Code> getFailureStatuses() {
			return this.failureStatuses;
		}

		public void setFailureStatuses(Set<Status.Code> failureStatuses) {
			this.failureStatuses = failureStatuses;
		}

		public Ejection getEjection() {
			return this.ejection;
		}

		public Latency getLatency() {
			return this.latency;
		}

	}

	/**
	 * Outlier ejection: a server whose calls fail clearly more than the rest is taken out for a while.
	 */
	public static class Ejection {

		/**
		 * Whether failing servers are ejected.
		 */
		private boolean enabled = true;

		/**
		 * The share of a server's calls that must have failed (0.25 = 25%), and at least twice the
		 * share of the rest of the fleet, for it to be ejected.
		 */
		private double failureThreshold = 0.25;

		/**
		 * How many calls a server must have had since it was last judged before it can be ejected.
		 */
		private int minRequests = 10;

		/**
		 * How long the first ejection lasts; each ejection in a row lasts this much longer.
		 */
		private Duration baseTime = Duration.ofSeconds(5);

		/**
		 * The longest an ejection lasts: a server that recovered while out is back within this time.
		 */
		private Duration maxTime = Duration.ofSeconds(10);

		/**
		 * The most servers, in percent of a channel's servers (rounded down), ejected at once; never all.
		 */
		private int maxPercent = 50;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public double getFailureThreshold() {
			return this.failureThreshold;
		}

		public void setFailureThreshold(double failureThreshold) {
			this.failureThreshold = failureThreshold;
		}

		public int getMinRequests() {
			return this.minRequests;
		}

		public void setMinRequests(int minRequests) {
			this.minRequests = minRequests;
		}

		public Duration getBaseTime() {
			return this.baseTime;
		}

		public void setBaseTime(Duration baseTime) {
			this.baseTime = baseTime;
		}

		public Duration getMaxTime() {
			return this.maxTime;
		}

		public void setMaxTime(Duration maxTime) {
			this.maxTime = maxTime;
		}

		public int getMaxPercent() {
			return this.maxPercent;
		}

		public void setMaxPercent(int maxPercent) {
			this.maxPercent = maxPercent;
		}

	}

	/**
	 * Latency-aware shares: a server slower than the fleet's median gets a smaller share.
	 */
	public static class Latency {

		/**
		 * Whether slow servers get a smaller share.
		 */
		private boolean enabled = true;

		/**
		 * How many times the fleet's median latency a server may take before it counts as slow.
		 */
		private double tolerance = 1.5;

		/**
		 * How much longer than the fleet's median a server may take before it counts as slow, whatever
		 * the ratio: differences below it are noise.
		 */
		private Duration minDifference = Duration.ofMillis(5);

		/**
		 * The smallest factor a slow server's weight is multiplied by (0.05 = 5%), so that it keeps
		 * the calls that show its recovery.
		 */
		private double minFactor = 0.05;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public double getTolerance() {
			return this.tolerance;
		}

		public void setTolerance(double tolerance) {
			this.tolerance = tolerance;
		}

		public Duration getMinDifference() {
			return this.minDifference;
		}

		public void setMinDifference(Duration minDifference) {
			this.minDifference = minDifference;
		}

		public double getMinFactor() {
			return this.minFactor;
		}

		public void setMinFactor(double minFactor) {
			this.minFactor = minFactor;
		}

	}

	/**
	 * Slow start: a server added to a running channel's fleet, or back from ejection, ramps up.
	 */
	public static class SlowStart {

		/**
		 * How long a new or returning server takes to reach its full weight; 0 turns slow start off.
		 * Its weight is multiplied by max(min-weight-percent / 100, (t / window)^(1 / aggression)).
		 */
		private Duration window = Duration.ZERO;

		/**
		 * The share of its weight a server starts with, in percent.
		 */
		private int minWeightPercent = 10;

		/**
		 * How the ramp bends: 1 is linear, above 1 slower at first.
		 */
		private double aggression = 1.0;

		public Duration getWindow() {
			return this.window;
		}

		public void setWindow(Duration window) {
			this.window = window;
		}

		public int getMinWeightPercent() {
			return this.minWeightPercent;
		}

		public void setMinWeightPercent(int minWeightPercent) {
			this.minWeightPercent = minWeightPercent;
		}

		public double getAggression() {
			return this.aggression;
		}

		public void setAggression(double aggression) {
			this.aggression = aggression;
		}

	}

}
