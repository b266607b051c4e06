/**
 * Keeps a panel's render failure inside that panel: the panel is replaced by a notice naming it and
 * the error, and the rest of the page (controls, other views, "Forget this data") keeps working.
 * The panel renders again when the data or the parameters change.
 */
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { clip, escapeControls } from '../core/formats/errors';
import { useApp } from '../state/context';

interface Props {
  name: string;
  children: ReactNode;
}

interface BoundaryProps extends Props {
  resetKeys: readonly unknown[];
}

interface State {
  error: Error | null;
  keys: readonly unknown[];
}

const sameKeys = (a: readonly unknown[], b: readonly unknown[]) =>
  a.length === b.length && a.every((x, i) => Object.is(x, b[i]));

/**
 * The boundary with its reset keys read from the store here, so a parameter change re-renders only
 * this wrapper (its children are the same elements and are not rendered again by it).
 */
export function PanelBoundary({ name, children }: Props) {
  const dataVersion = useApp((s) => s.data.dataVersion);
  const params = useApp((s) => s.params);
  return (
    <Boundary name={name} resetKeys={[dataVersion, params]}>
      {children}
    </Boundary>
  );
}

class Boundary extends Component<BoundaryProps, State> {
  override state: State = { error: null, keys: this.props.resetKeys };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  static getDerivedStateFromProps(props: BoundaryProps, state: State): Partial<State> | null {
    return sameKeys(props.resetKeys, state.keys) ? null : { error: null, keys: props.resetKeys };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error(`The ${this.props.name} panel failed`, error, info.componentStack);
  }

  override render(): ReactNode {
    if (!this.state.error) return this.props.children;
    return (
      <section className="panel panel-failed" role="alert" data-testid="panel.failed" data-panel={this.props.name}>
        <p>
          The {this.props.name} could not be drawn: {clip(escapeControls(this.state.error.message), 300)}. The other
          views and the controls still work; change the data or a setting to try again.
        </p>
      </section>
    );
  }
}
