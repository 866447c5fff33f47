package io.github.etcdgrpclb.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import io.github.etcdgrpclb.balancer.GrpclbTags;
import io.github.etcdgrpclb.balancer.RoutingPicker;
import io.github.etcdgrpclb.balancer.ServiceMeters;
import io.github.etcdgrpclb.balancer.WeightedPicker;
import io.github.etcdgrpclb.etcd.InstanceMetadata;
import io.github.etcdgrpclb.support.CallOptionsCapture;
import io.github.etcdgrpclb.support.StubSubchannel;
import io.grpc.LoadBalancer.PickResult;
import io.grpc.LoadBalancer.PickSubchannelArgs;
import io.grpc.Metadata;
import io.grpc.LoadBalancer.Subchannel;
import io.grpc.LoadBalancer.SubchannelPicker;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * ns per pick over the same 10 subchannels (weights 1..5): our picker (through slots at this total
 * weight; through its alias table beside it, on 20 subchannels whose weights add up to 1,100), grpc-java's
 * round_robin ReadyPicker (its pick copied: a shared AtomicInteger modulo the list, as the class is
 * package-private), and the Go tutorial's design (each address repeated weight times in a list,
 * random index under a mutex). None allocates per pick, like the originals. The state is shared by all benchmark threads, as a channel's picker
 * is shared by all calling threads. Run with -t 1 and -t 2. The two floors measure, in the same run,
 * the parts of our pick no layout of the table can remove: the random draw and the pick counter.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PickerBenchmark {

	private static final int[] WEIGHTS = { 1, 2, 3, 4, 5, 1, 2, 3, 4, 5 };

	/** 20 subchannels, weights 10, 20, .. 100 twice: total 1,100, above the slot limit: the alias table. */
	private static final int[] LARGE_WEIGHTS = { 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 10, 20, 30, 40, 50, 60, 70,
			80, 90, 100 };

	/**
	 * The same 10 subchannels as the health-aware balancer weighs them with the last one slowed to 5%:
	 * etcd's weights times 34 (the largest whole scale that keeps the total within the slots) times
	 * the factors. Its results carry the call tracers there, which a pick only returns: the pick's cost
	 * is that of these weights.
	 */
	private static final int[] HEALTH_AWARE_WEIGHTS = { 34, 68, 102, 136, 170, 34, 68, 102, 136, 9 };

	private static final io.grpc.CallOptions WAIT_FOR_READY = io.grpc.CallOptions.DEFAULT.withWaitForReady();

	private SubchannelPicker weighted;

	private SubchannelPicker weightedLargeTotal;

	private SubchannelPicker weightedHealthAware;

	private SubchannelPicker routedWithTags;

	private SubchannelPicker routedWithTwoTags;

	private PickSubchannelArgs taggedV2Call;

	private final PickSubchannelArgs untaggedCall = new Call(io.grpc.CallOptions.DEFAULT.withWaitForReady());

	/** Tagged as GrpclbTags.tag("canary") tags a call: the picker finds the tag by identity. */
	private PickSubchannelArgs taggedCall;

	/** Tagged with a String of its own (an option set by hand): the picker finds the tag in its map. */
	private final PickSubchannelArgs taggedByHandCall = new Call(
			io.grpc.CallOptions.DEFAULT.withWaitForReady().withOption(GrpclbTags.CALL_OPTION, new String("canary")));

	private SubchannelPicker roundRobin;

	private SubchannelPicker mutexList;

	private final LongAdder counter = new LongAdder();

	@Setup
	public void setUp() {
		List<Subchannel> subchannels = stubs(WEIGHTS.length);
		this.weighted = new WeightedPicker(subchannels, WEIGHTS);
		this.weightedLargeTotal = new WeightedPicker(stubs(LARGE_WEIGHTS.length), LARGE_WEIGHTS);
		this.weightedHealthAware = new WeightedPicker(subchannels, HEALTH_AWARE_WEIGHTS);
		// Nine servers without tags, the tenth a canary: untagged calls pick among the nine.
		WeightedPicker untagged = new WeightedPicker(subchannels.subList(0, 9), java.util.Arrays.copyOf(WEIGHTS, 9));
		// The tag as read from etcd and as the tagging interceptor sets it, Strings built at run time.
		String canary = InstanceMetadata.parse("{\"tags\":\"" + new String("canary") + "\"}").tags().iterator().next();
		this.routedWithTags = new RoutingPicker(untagged,
				java.util.Map.of(canary, new WeightedPicker(subchannels.subList(9, 10), new int[] { 5 })), untagged,
				new ServiceMeters());
		this.taggedCall = new Call(CallOptionsCapture.through(GrpclbTags.tag(new String("canary")), WAIT_FOR_READY));
		// Two tags, in the order the balancer meets them: server 8 carries "canary", server 9 "v2".
		List<String> twoTags = List.copyOf(InstanceMetadata.parse("{\"tags\":\"" + new String("canary,v2") + "\"}").tags());
		java.util.Map<String, WeightedPicker> byTwoTags = new java.util.LinkedHashMap<>();
		byTwoTags.put(twoTags.get(0), new WeightedPicker(subchannels.subList(8, 9), new int[] { 4 }));
		byTwoTags.put(twoTags.get(1), new WeightedPicker(subchannels.subList(9, 10), new int[] { 5 }));
		this.routedWithTwoTags = new RoutingPicker(
				new WeightedPicker(subchannels.subList(0, 8), java.util.Arrays.copyOf(WEIGHTS, 8)), byTwoTags, untagged,
				new ServiceMeters());
		this.taggedV2Call = new Call(CallOptionsCapture.through(GrpclbTags.tag(new String("v2")), WAIT_FOR_READY));
		this.roundRobin = new RoundRobinPicker(subchannels);
		this.mutexList = new MutexListPicker(subchannels, WEIGHTS);
	}

	private static List<Subchannel> stubs(int count) {
		List<Subchannel> subchannels = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			subchannels.add(new StubSubchannel());
		}
		return subchannels;
	}

	/** Total weight 30: picked through slots. */
	@Benchmark
	public PickResult weightedSlots() {
		return this.weighted.pickSubchannel(null);
	}

	/** Total weight 1,100: picked through the alias table. */
	@Benchmark
	public PickResult weightedAliasTable() {
		return this.weightedLargeTotal.pickSubchannel(null);
	}

	/** Health-aware weights of the same servers (total 859): picked through slots. */
	@Benchmark
	public PickResult weightedHealthAware() {
		return this.weightedHealthAware.pickSubchannel(null);
	}

	/** Routing with a tagged server: an untagged call reads its call option (absent), then picks by weight. */
	@Benchmark
	public PickResult routedUntaggedCall() {
		return this.routedWithTags.pickSubchannel(this.untaggedCall);
	}

	/** Routing with a tagged server: a call tagged canary reads its call option, finds the tag by identity, picks. */
	@Benchmark
	public PickResult routedTaggedCall() {
		return this.routedWithTags.pickSubchannel(this.taggedCall);
	}

	/** The same call tagged with a String of its own: the scan misses, the tag's picker is found in a map. */
	@Benchmark
	public PickResult routedTaggedByHandCall() {
		return this.routedWithTags.pickSubchannel(this.taggedByHandCall);
	}

	/** Routing with two tags on the servers: a call tagged v2, the second, finds its tag's picker by a scan. */
	@Benchmark
	public PickResult routedTwoTagsCall() {
		return this.routedWithTwoTags.pickSubchannel(this.taggedV2Call);
	}

	@Benchmark
	public PickResult roundRobinReadyPicker() {
		return this.roundRobin.pickSubchannel(null);
	}

	@Benchmark
	public PickResult tutorialMutexList() {
		return this.mutexList.pickSubchannel(null);
	}

	/** Floor: the pick counter's increment alone (one uncontended LongAdder, as a pick of one thread sees it). */
	@Benchmark
	public void floorCounterIncrement() {
		this.counter.increment();
	}

	/** Floor: the pick's random draw alone. */
	@Benchmark
	public long floorRandomDraw() {
		return ThreadLocalRandom.current().nextLong();
	}

	/** A call's pick arguments as grpc passes them: its call options and headers. */
	static final class Call extends PickSubchannelArgs {

		private final io.grpc.CallOptions options;

		private final Metadata headers = new Metadata();

		Call(io.grpc.CallOptions options) {
			this.options = options;
		}

		@Override
		public io.grpc.CallOptions getCallOptions() {
			return this.options;
		}

		@Override
		public Metadata getHeaders() {
			return this.headers;
		}

		@Override
		public io.grpc.MethodDescriptor<?, ?> getMethodDescriptor() {
			return null;
		}

	}

	/**
	 * grpc-java round_robin's pick: one AtomicInteger shared by every caller, modulo the READY list;
	 * each entry's result is built once (grpc's child pickers hold a fixed PickResult).
	 */
	static final class RoundRobinPicker extends SubchannelPicker {

		private final List<PickResult> list;

		private final AtomicInteger index = new AtomicInteger();

		RoundRobinPicker(List<Subchannel> subchannels) {
			this.list = subchannels.stream().map(PickResult::withSubchannel).toList();
		}

		@Override
		public PickResult pickSubchannel(io.grpc.LoadBalancer.PickSubchannelArgs args) {
			int i = this.index.getAndIncrement() & Integer.MAX_VALUE;
			return this.list.get(i % this.list.size());
		}

	}

	/**
	 * The Go tutorial's weighted random: addresses repeated weight times, rand.Intn under a mutex
	 * (its result is a value struct in Go: built once here).
	 */
	static final class MutexListPicker extends SubchannelPicker {

		private final List<PickResult> expanded = new ArrayList<>();

		private final Random random = new Random();

		MutexListPicker(List<Subchannel> subchannels, int[] weights) {
			for (int i = 0; i < weights.length; i++) {
				for (int w = 0; w < weights[i]; w++) {
					this.expanded.add(PickResult.withSubchannel(subchannels.get(i)));
				}
			}
		}

		@Override
		public synchronized PickResult pickSubchannel(io.grpc.LoadBalancer.PickSubchannelArgs args) {
			return this.expanded.get(this.random.nextInt(this.expanded.size()));
		}

	}

}
