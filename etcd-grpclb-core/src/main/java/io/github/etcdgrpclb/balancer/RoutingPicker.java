package io.github.etcdgrpclb.balancer;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

import io.grpc.CallOptions;
import io.grpc.LoadBalancer.PickResult;
import io.grpc.LoadBalancer.PickSubchannelArgs;
import io.grpc.LoadBalancer.SubchannelPicker;

/**
 * Routes each call to one precomputed sub-picker: a call tagged through {@link GrpclbTags} (its call
 * option) to the picker of the servers with that tag (or the fallback when none is ready), any other
 * call to the default picker (the caller's zone, or every zone). Used only while some server has a
 * tag. An immutable snapshot: a pick is one call-option lookup, then for a tag after the first a scan
 * of at most 8 references (a map lookup past them, or for a tag set by hand),
 * before an O(1) weighted pick; only a tagged call that falls back is counted.
 * <p>
 * Written for the pick's time, which every call pays: each dependent load and branch before the pick
 * counter's atomic increment shows in it. So the slots of the untagged route and of the first tag (a
 * fleet's one tag mostly, the canary) are this picker's own fields, a call's tag is read without a
 * type check and found by identity (tags are interned where they enter) before any map, and nothing
 * is checked that grpc guarantees (its arguments are never null). PickerBenchmark: through
 * sub-pickers and a map, a tagged pick took 1.45x a plain pick's time (3.4x with two tags) and an
 * untagged one 1.27x; this way 1.2x (1.4x) and 1.15x.
 */
public final class RoutingPicker extends SubchannelPicker {

	/** The tag's call option, read as an Object: no type check on the tag before the pick (a String compared by identity). */
	@SuppressWarnings("unchecked")
	private static final CallOptions.Key<Object> TAG = (CallOptions.Key<Object>) (CallOptions.Key<?>) GrpclbTags.CALL_OPTION;

	/** Tags found by a scan before the map: a few compared references cost less than a map's hash. */
	static final int MAX_SCANNED = 8;

	private final WeightedPicker untagged;

	/** The untagged picker's slots and their counters: null when it picks through its alias table. */
	private final PickResult[] untaggedSlots;

	private final LongAdder[] untaggedSlotPicks;

	private final Map<String, WeightedPicker> byTag;

	/**
	 * The tags after the one held in fields, up to {@value #MAX_SCANNED} (interned where they enter),
	 * and their pickers: a call's tag is found among them by identity; any other in the map.
	 */
	private final String[] scannedTags;

	private final WeightedPicker[] scannedPickers;

	/** The first tag (a fleet's one tag, mostly) when its picker has slots, else null; its slots and counters. */
	private final String firstTag;

	private final PickResult[] firstTagSlots;

	private final LongAdder[] firstTagSlotPicks;

	private final SubchannelPicker tagFallback;

	private final ServiceMeters meters;

	/**
	 * @param untagged the picker of calls without a tag
	 * @param byTag the picker of each tag's servers, one tag at least (without tags, the untagged picker
	 * is the channel's picker: a pick then reads no call option)
	 * @param tagFallback the picker of tagged calls no server with their tag can take
	 * @param meters where tagged calls are counted
	 */
	public RoutingPicker(WeightedPicker untagged, Map<String, WeightedPicker> byTag, SubchannelPicker tagFallback,
			ServiceMeters meters) {
		this.untagged = untagged;
		this.untaggedSlots = untagged.slotResults();
		this.untaggedSlotPicks = untagged.slotPicks();
		if (byTag.isEmpty()) {
			throw new IllegalArgumentException("Routing by tag needs at least one tag: use the untagged picker alone");
		}
		this.byTag = Map.copyOf(byTag);
		String[] tags = byTag.keySet().toArray(String[]::new);
		WeightedPicker[] pickers = byTag.values().toArray(WeightedPicker[]::new);
		this.firstTagSlots = pickers[0].slotResults();
		this.firstTagSlotPicks = pickers[0].slotPicks();
		this.firstTag = (this.firstTagSlots != null) ? tags[0] : null;
		int scanFrom = (this.firstTag != null) ? 1 : 0;
		int scanTo = Math.min(tags.length, scanFrom + MAX_SCANNED);
		this.scannedTags = Arrays.copyOfRange(tags, scanFrom, scanTo);
		this.scannedPickers = Arrays.copyOfRange(pickers, scanFrom, scanTo);
		this.tagFallback = tagFallback;
		this.meters = meters;
	}

	@Override
	public PickResult pickSubchannel(PickSubchannelArgs args) {
		return pick(args, ThreadLocalRandom.current().nextLong());
	}

	/** @return the call's pick with that draw (the tests pass their own draws) */
	PickResult pick(PickSubchannelArgs args, long draw) {
		Object tag = args.getCallOptions().getOption(TAG);
		if (tag == null) {
			return (this.untaggedSlots != null) ? WeightedPicker.pickSlot(this.untaggedSlots, this.untaggedSlotPicks, draw)
					: this.untagged.pick(draw);
		}
		if (tag == this.firstTag) {
			return WeightedPicker.pickSlot(this.firstTagSlots, this.firstTagSlotPicks, draw);
		}
		String[] tags = this.scannedTags;
		for (int i = 0; i < tags.length; i++) {
			if (tags[i] == tag) {
				return this.scannedPickers[i].pick(draw); // a scan of a few references: a map hashes first
			}
		}
		return pickByEqualTag(tag, args, draw);
	}

	/** A tag beyond the scanned ones, set in a String of its own (not through GrpclbTags), or no server's. */
	private PickResult pickByEqualTag(Object tag, PickSubchannelArgs args, long draw) {
		WeightedPicker tagged = this.byTag.get(tag);
		if (tagged != null) {
			return tagged.pick(draw);
		}
		this.meters.tagFallbacks.increment();
		return this.tagFallback.pickSubchannel(args);
	}

	/** @return the picker of calls without a tag (for the tests) */
	WeightedPicker untagged() {
		return this.untagged;
	}

	/** @return the picker of calls with that tag, or null (for the tests) */
	WeightedPicker tagged(String tag) {
		return this.byTag.get(tag);
	}

	/** @return the picker of tagged calls no server with their tag can take (for the tests) */
	SubchannelPicker tagFallback() {
		return this.tagFallback;
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof RoutingPicker picker && this.untagged.equals(picker.untagged)
				&& Objects.equals(this.byTag, picker.byTag) && Objects.equals(this.tagFallback, picker.tagFallback);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.untagged, this.byTag, this.tagFallback);
	}

	@Override
	public String toString() {
		return "RoutingPicker[" + this.untagged + ", tags " + this.byTag + "]";
	}


}
