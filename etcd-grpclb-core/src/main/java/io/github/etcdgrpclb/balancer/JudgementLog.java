package io.github.etcdgrpclb.balancer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says when the balancer starts or stops deviating from etcd's weight for a server (healthy, slowed,
 * ejected, warming up), at INFO, so that an operator reading the client's log sees why a server got
 * fewer calls than its weight; every other change of the reason (a slowed server's new latency) at
 * DEBUG.
 */
final class JudgementLog {

	private static final Logger logger = LoggerFactory.getLogger(WeightLoadBalancer.class);

	private JudgementLog() {
	}

	static void changed(String target, String address, int weight, String before, String after) {
		if (after.equals(before)) {
			return;
		}
		if (!kind(after).equals(kind(before))) {
			logger.info("{} {} (weight {}): {}", target, address, weight, after);
		}
		else if (logger.isDebugEnabled()) {
			logger.debug("{} {} (weight {}): {}", target, address, weight, after);
		}
	}

	/** @return the reason's first words: "healthy", "slowed to", "ejected", "warming up" */
	private static String kind(String reason) {
		int end = reason.indexOf(':');
		String head = (end < 0) ? reason : reason.substring(0, end);
		return head.startsWith("slowed") ? "slowed" : head;
	}

}
