package io.github.etcdgrpclb.balancer;

import java.util.Objects;

import io.grpc.LoadBalancer.PickResult;
import io.grpc.LoadBalancer.PickSubchannelArgs;
import io.grpc.LoadBalancer.SubchannelPicker;
import io.grpc.Status;

/** The pickers of a {@code weight} channel that has no READY server. */
final class FixedPickers {

	private FixedPickers() {
	}

	/** No subchannel is READY yet: calls wait. */
	static final class EmptyPicker extends SubchannelPicker {

		@Override
		public PickResult pickSubchannel(PickSubchannelArgs args) {
			return PickResult.withNoResult();
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof EmptyPicker;
		}

		@Override
		public int hashCode() {
			return EmptyPicker.class.hashCode();
		}

	}

	/** Every subchannel failed (or there is none): calls fail with the status. */
	static final class ErrorPicker extends SubchannelPicker {

		private final Status status;

		ErrorPicker(Status status) {
			this.status = status;
		}

		@Override
		public PickResult pickSubchannel(PickSubchannelArgs args) {
			return PickResult.withError(this.status);
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof ErrorPicker picker && picker.status.getCode() == this.status.getCode()
					&& Objects.equals(picker.status.getDescription(), this.status.getDescription());
		}

		@Override
		public int hashCode() {
			return this.status.getCode().hashCode();
		}

	}

}
