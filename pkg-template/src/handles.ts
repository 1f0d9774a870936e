// Which glue object stands behind which of the API's objects. The glue's objects never reach the
// caller: a method called on another object, or after `free()`, is refused in JavaScript.
import { invalidArgument } from './errors.js';
import type { GlueObject } from './glue.js';

/** The glue objects behind the live objects of one class (null once freed). */
export class Handles {
  private readonly held = new WeakMap<object, GlueObject | null>();

  constructor(private readonly className: string) {}

  /** The glue's object behind `self`, a live object of this class; refused otherwise. */
  of(self: object, member: string): GlueObject {
    const handle = this.held.get(self);
    if (handle === undefined) {
      throw invalidArgument('this', `is not a ${this.className}: ${this.className}.prototype.${member} was called on another object`);
    }
    if (handle === null) {
      throw invalidArgument('this', `${this.className} was freed (free(), or the end of a \`using\` block) and cannot be used again`);
    }
    return handle;
  }

  /** Makes `self` stand for the glue's object `handle`. */
  adopt<T extends object>(self: T, handle: GlueObject): T {
    this.held.set(self, handle);
    return self;
  }

  /** Frees the glue's object behind `self`; a second call does nothing (`free()` inside `using`). */
  free(self: object): void {
    if (this.held.get(self) === null) return;
    const handle = this.of(self, 'free');
    this.held.set(self, null);
    handle.free();
  }
}
