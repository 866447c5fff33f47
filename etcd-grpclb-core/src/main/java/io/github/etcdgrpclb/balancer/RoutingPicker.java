package io.github.etcdgrpclb.balancer;

import java.util.Map;
import java.util.Objects;

import io.grpc.LoadBalancer.PickResult;
import io.grpc.LoadBalancer.PickSubchannelArgs;
import io.grpc.LoadBalancer.SubchannelPicker;
import io.grpc.Metadata;

/**
 * Routes each call to one precomputed sub-picker: a call tagged through {@link GrpclbTags} (its call
 * option) to the picker of the servers with that tag (or the fallback when none is ready), any other
 * call to the default picker (the caller's zone, or every zone). An immutable snapshot: a pick is at
 * most one call-option lookup and one map lookup before the sub-picker's O(1) pick, and nothing more
 * while no server has tags; only a tagged call that falls back is counted.
 */
public final class RoutingPicker extends SubchannelPicker {

	private final SubchannelPicker untagged;

	/** Null while no server has tags. */
	private final Map<String, SubchannelPicker> byTag;

	/** The tag and its picker when servers have one tag only: compared by identity before the map. */
	private final String soleTag;

	private final SubchannelPicker soleTagPicker;

	private final SubchannelPicker tagFallback;

	private final ServiceMeters meters;

	/**
	 * @param untagged the picker of calls without a tag
	 * @param byTag the picker of each tag's servers (null or empty: no header is read)
	 * @param tagFallback the picker of tagged calls no server with their tag can take
	 * @param meters where tagged calls are counted
	 */
	public RoutingPicker(SubchannelPicker untagged, Map<String, SubchannelPicker> byTag, SubchannelPicker tagFallback,
			ServiceMeters meters) {
		this.untagged = untagged;
		this.byTag = (byTag == null || byTag.isEmpty()) ? null : Map.copyOf(byTag);
		this.soleTag = (this.byTag != null && this.byTag.size() == 1) ? this.byTag.keySet().iterator().next() : null;
		this.soleTagPicker = (this.soleTag != null) ? this.byTag.get(this.soleTag) : null;
		this.tagFallback = tagFallback;
		this.meters = meters;
	}

	@Override
	public PickResult pickSubchannel(PickSubchannelArgs args) {
		if (this.byTag != null && args != null) {
			String tag = args.getCallOptions().getOption(GrpclbTags.CALL_OPTION);
			if (tag != null) {
				if (tag == this.soleTag) {
					return this.soleTagPicker.pickSubchannel(args); // the one tag a fleet mostly has, same String
				}
				SubchannelPicker tagged = this.byTag.get(tag);
				if (tagged != null) {
					return tagged.pickSubchannel(args);
				}
				this.meters.tagFallbacks.increment();
				return this.tagFallback.pickSubchannel(args);
			}
		}
		return this.untagged.pickSubchannel(args);
	}

	/** @return the picker of calls without a tag (for the tests) */
	SubchannelPicker untagged() {
		return this.untagged;
	}

	/** @return the picker of calls with that tag, or null (for the tests) */
	SubchannelPicker tagged(String tag) {
		return (this.byTag != null) ? this.byTag.get(tag) : null;
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
