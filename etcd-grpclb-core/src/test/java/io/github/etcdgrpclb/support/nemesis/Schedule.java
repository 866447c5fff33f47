package io.github.etcdgrpclb.support.nemesis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A nemesis schedule drawn from a seed: steps of one or two faults at once (never two of a kind, never
 * two that take an etcd member away: the cluster keeps its quorum), each followed by a quiet gap. The same seed gives
 * the same schedule, so a failing run can be replayed with {@code -Dgrpclb.nemesis.seed=<seed>}.
 *
 * @param seed the seed
 * @param steps the steps, in order
 */
public record Schedule(long seed, List<Step> steps) {

	/**
	 * One step: faults that run at the same time, then a quiet gap.
	 * @param faults one or two faults
	 * @param gapMillis quiet time after they healed
	 */
	public record Step(List<Fault> faults, long gapMillis) {

		long millis() {
			return this.faults.stream().mapToLong(Fault::millis).max().orElse(0) + this.gapMillis;
		}

	}

	/**
	 * @param seed the seed
	 * @param length about how long the schedule runs
	 * @param ttlMillis the lease TTL of the actors: pauses last longer than it
	 */
	public static Schedule generate(long seed, Duration length, long ttlMillis) {
		Random random = new Random(seed);
		Fault.Kind[] kinds = Fault.Kind.values();
		List<Step> steps = new ArrayList<>();
		long planned = 0;
		while (planned < length.toMillis()) {
			List<Fault> faults = new ArrayList<>();
			faults.add(fault(random, kinds[random.nextInt(kinds.length)], ttlMillis));
			if (random.nextInt(3) == 0) { // a third of the steps mix two faults
				Fault.Kind second = kinds[random.nextInt(kinds.length)];
				Fault.Kind first = faults.get(0).kind();
				if (second != first && !(second.touchesMembers() && first.touchesMembers())) {
					faults.add(fault(random, second, ttlMillis));
				}
			}
			Step step = new Step(List.copyOf(faults), 1000 + random.nextInt(2000));
			steps.add(step);
			planned += step.millis();
		}
		return new Schedule(seed, List.copyOf(steps));
	}

	private static Fault fault(Random random, Fault.Kind kind, long ttlMillis) {
		long millis = switch (kind) {
			case COMPACT_AND_DEFRAGMENT -> 0;
			case PAUSE_MEMBER -> 1500 + random.nextInt(1500); // past etcd's 1 s election timeout
			case PAUSE_SERVER, PAUSE_LOCK_CONTENDER, PAUSE_LEADER_CANDIDATE -> ttlMillis + 1000 + random.nextInt(2000);
			default -> 1000 + random.nextInt(3000);
		};
		return new Fault(kind, random.nextInt(1000), millis);
	}

	@Override
	public String toString() {
		StringBuilder text = new StringBuilder("seed " + this.seed + ":");
		this.steps.forEach((step) -> text.append("\n  ").append(step.faults()).append(", then ").append(step.gapMillis())
			.append(" ms quiet"));
		return text.toString();
	}

}
