package io.github.etcdgrpclb.balancer;

/**
 * One server's health as its balancer judges it: the calls since it was last judged (the ejection
 * window), an average of its latency, whether and until when it is ejected, when its slow start
 * began, and the factor its etcd weight is multiplied by, with the reason. Confined to the channel's
 * SynchronizationContext; the {@link CallStats} it drains are written from any thread.
 */
final class EndpointHealth {

	/**
	 * The latency average moves half way to an interval's median once that median stands on this many
	 * answers at the server's full share: one slow call in a quiet interval moves it a little, a full
	 * interval all the way.
	 */
	private static final double ANSWERS_PER_HALF = 5;

	/**
	 * An interval's latency stands on at least this many answers: fewer wait for the next interval's,
	 * so that a new server's first call (class loading, a cold cache) is not all that is known of it.
	 */
	static final int MIN_ANSWERS = 3;

	/** Answers too few to judge wait at most this many intervals; then they are taken as they are. */
	static final int MAX_WAITING_INTERVALS = 4;

	/** A window that never reached the minimum of calls is dropped after this many intervals. */
	static final int MAX_WINDOW_INTERVALS = 20;

	private final CallStats calls;

	private long windowCalls;

	private long windowFailures;

	private int windowIntervals;

	private double latencyNanos = Double.NaN;

	private int intervalsWithoutLatency;

	private int slowInARow;

	private long waiting;

	private long waitingAgeNanos;

	private boolean ejected;

	private long ejectedUntilNanos;

	private int ejections;

	private long rampStartNanos;

	private double factor = 1;

	private String reason = "healthy";

	/**
	 * @param calls the server's call records
	 * @param rampStartNanos when its slow start began (a slow start window ago: no slow start)
	 */
	EndpointHealth(CallStats calls, long rampStartNanos) {
		this.calls = calls;
		this.rampStartNanos = rampStartNanos;
	}

	CallStats calls() {
		return this.calls;
	}

	/** Takes in what the server's calls did since the last interval. */
	void sample() {
		boolean waitedEnough = ++this.intervalsWithoutLatency >= MAX_WAITING_INTERVALS;
		CallStats.Interval interval = this.calls.drain(waitedEnough ? 1 : MIN_ANSWERS);
		this.windowCalls += interval.calls();
		this.windowFailures += interval.failures();
		this.windowIntervals++;
		if (interval.answered() > 0) {
			this.intervalsWithoutLatency = 0;
			double median = interval.medianAnswerNanos();
			// A server whose share was cut gets fewer calls: its answers weigh as many as it would have
			// had at its full share, or a slowed server that is fast again would stay slowed for long.
			double answers = interval.answered() / Math.max(this.factor, 0.01);
			double alpha = 1 - Math.pow(0.5, answers / ANSWERS_PER_HALF);
			this.latencyNanos = Double.isNaN(this.latencyNanos) ? median
					: this.latencyNanos + alpha * (median - this.latencyNanos);
		}
		this.waiting = interval.waiting();
		this.waitingAgeNanos = interval.waitingMeanAgeNanos();
	}

	/**
	 * @return the latency the fleet is compared by: the average, or the mean age of the calls still
	 * waiting for an answer when that is longer; NaN while nothing is known
	 */
	double costNanos() {
		double waited = (this.waiting > 0) ? this.waitingAgeNanos : Double.NaN;
		if (Double.isNaN(this.latencyNanos)) {
			return waited;
		}
		return Double.isNaN(waited) ? this.latencyNanos : Math.max(this.latencyNanos, waited);
	}

	long windowCalls() {
		return this.windowCalls;
	}

	long windowFailures() {
		return this.windowFailures;
	}

	/** @return the window's failure ratio, 0 without calls */
	double failureRatio() {
		return (this.windowCalls == 0) ? 0 : (double) this.windowFailures / this.windowCalls;
	}

	/** Starts a new window: the last one was judged, or too old to judge. */
	void closeWindow() {
		this.windowCalls = 0;
		this.windowFailures = 0;
		this.windowIntervals = 0;
	}

	boolean windowExpired() {
		return this.windowIntervals >= MAX_WINDOW_INTERVALS;
	}

	boolean isEjected() {
		return this.ejected;
	}

	long ejectedUntilNanos() {
		return this.ejectedUntilNanos;
	}

	int ejections() {
		return this.ejections;
	}

	/** Takes the server out until {@code untilNanos}; the next ejection in a row lasts longer. */
	void eject(long untilNanos) {
		this.ejected = true;
		this.ejectedUntilNanos = untilNanos;
		this.ejections++;
		closeWindow();
	}

	/** Lets the server back in; its slow start, if any, begins now; its measures start afresh. */
	void readmit(long nowNanos) {
		this.ejected = false;
		this.rampStartNanos = nowNanos;
		this.latencyNanos = Double.NaN;
		this.slowInARow = 0;
		closeWindow();
	}

	/**
	 * @param slow whether this judgement found the server slower than the fleet
	 * @return in how many judgements in a row it was, this one included
	 */
	int countSlow(boolean slow) {
		this.slowInARow = slow ? this.slowInARow + 1 : 0;
		return this.slowInARow;
	}

	/** A window judged without ejecting: a server that stays well is forgiven its past ejections. */
	void forgiveOne() {
		if (this.ejections > 0) {
			this.ejections--;
		}
	}

	long rampStartNanos() {
		return this.rampStartNanos;
	}

	double latencyNanos() {
		return this.latencyNanos;
	}

	double factor() {
		return this.factor;
	}

	String reason() {
		return this.reason;
	}

	void judged(double newFactor, String newReason) {
		this.factor = newFactor;
		this.reason = newReason;
	}

}
