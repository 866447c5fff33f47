package io.github.etcdgrpclb.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class BackoffTests {

	@Test
	void delaysShouldDoubleUpToTheCapWithTwentyPercentJitter() {
		Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(800));
		long[] bases = { 100, 200, 400, 800, 800, 800 };
		for (long base : bases) {
			assertThat(backoff.next().toMillis()).isBetween((long) (base * 0.8), (long) (base * 1.2));
		}
	}

	@Test
	void resetShouldStartOverFromTheInitialDelay() {
		Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));
		backoff.next();
		backoff.next();
		backoff.reset();
		assertThat(backoff.next().toMillis()).isBetween(80L, 120L);
	}

}
